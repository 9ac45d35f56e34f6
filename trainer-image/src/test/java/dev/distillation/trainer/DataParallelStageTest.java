package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.data.Datasets;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole stage trained data parallel over three replicas (all on the CPU, as several GPUs would hold
 * them): the 800 sample images in batches of 128 (the last of 32) go through the split, the update
 * and the replicas' refresh every step; evaluation, checkpoints and outputs work from the master.
 */
class DataParallelStageTest {

    @TempDir
    Path work;

    @BeforeAll
    static void engine() throws TrainerException {
        Engines.pytorch(2);
    }

    @Test
    void aStageTrainedOverThreeReplicasLearnsAsWellAsOnOneDeviceAndNamesItsDevices() throws Exception {
        Recorder single = new Recorder();
        StageMetrics one = train("single", 1, single);
        Recorder parallel = new Recorder();
        StageMetrics three = train("parallel", 3, parallel);

        assertThat(one.getDevice()).isEqualTo("cpu()");
        assertThat(three.getDevice()).isEqualTo("cpu(),cpu(),cpu()");
        assertThat(parallel.batches).isEqualTo(7 * 3);
        // a network that does not learn stays near 10%. BatchNorm normalises shards of ~43 instead of batches of
        // 128 and keeps the running statistics of shard 0 alone, so after three short epochs the runs differ by a
        // few points, not more
        assertThat(three.getTestAccuracy()).isGreaterThan(0.6).isGreaterThan(one.getTestAccuracy() - 0.1);
        // training accuracy counts each shard's images against their own labels: a wrong offset would be near chance
        assertThat(parallel.epochs.get(2).trainAccuracy()).isGreaterThan(single.epochs.get(2).trainAccuracy() - 0.1);
        assertThat(work.resolve("parallel/model.params")).isRegularFile();
        assertThat(work.resolve("parallel/fingerprint")).isRegularFile();
    }

    private StageMetrics train(String name, int replicas, Recorder events) throws Exception {
        Path out = work.resolve(name);
        StageJob job = TestData.job(name, TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(3), null,
                null);
        RunContext ctx = new RunContext(job, StageFolder.of(out), Datasets.load(job.dataset()), Collections.nCopies(replicas, Device.cpu()),
                2, events);
        return StageTraining.run(ctx);
    }
}
