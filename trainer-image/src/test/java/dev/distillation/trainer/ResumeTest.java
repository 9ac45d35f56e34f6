package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.LearningRateSchedule;
import dev.distillation.api.v1alpha1.Optimizer;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same results; a stage killed after an epoch resumes from its checkpoint and ends
 * exactly where an uninterrupted run ends (parameters, BatchNorm statistics, optimiser state and
 * data order all restored); a corrupt or half-written checkpoint is skipped.
 */
class ResumeTest {

    @TempDir
    static Path work;
    static Path data;
    static StageMetrics straight;
    static List<EpochResult> straightCurve;
    static final StageRunner TRAINER = new StageRunner(new TrainerOptions("cpu", 2, null));

    /** Simulates a kill: stops the trainer right after epoch {@code stopAfter} was checkpointed. */
    static final class Kill extends RuntimeException {
    }

    static TrainingListener killAfter(int stopAfter, Recorder rec) {
        return new TrainingListener() {
            @Override
            public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
                rec.onStart(job, firstEpoch, totalEpochs, batchesPerEpoch);
            }

            @Override
            public void onEpoch(EpochResult r) {
                rec.onEpoch(r);
                if (r.epoch() == stopAfter) {
                    throw new Kill();
                }
            }
        };
    }

    static StageJob job(Path out) {
        TrainingSpec t = TestData.training(3);
        t.setLrSchedule(LearningRateSchedule.COSINE); // lr differs per epoch: a resume must pick the right one
        return TestData.job("resume", data, out, TestData.model(Architecture.PLAIN_CNN, 2), t, null, 800);
    }

    @BeforeAll
    static void straightRun() throws Exception {
        data = TestData.sample();
        Recorder rec = new Recorder();
        straight = TRAINER.run(job(work.resolve("straight")), rec);
        straightCurve = rec.epochs;
    }

    @Test
    void sameSeedGivesTheSameMetricsAndAnotherSeedDoesNot() throws Exception {
        Recorder rec = new Recorder();
        StageMetrics again = TRAINER.run(job(work.resolve("again")), rec);
        assertThat(rec.epochs).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(rec.epochs.get(i).trainLoss()).isEqualTo(straightCurve.get(i).trainLoss());
            assertThat(rec.epochs.get(i).testLoss()).isEqualTo(straightCurve.get(i).testLoss());
        }
        assertThat(again.getTestAccuracy()).isEqualTo(straight.getTestAccuracy());

        TrainingSpec seed2 = TestData.training(3);
        seed2.setLrSchedule(LearningRateSchedule.COSINE);
        seed2.setSeed(2L);
        StageJob j = TestData.job("resume", data, work.resolve("other-seed"), TestData.model(Architecture.PLAIN_CNN, 2), seed2, null, 800);
        assertThat(TRAINER.run(TestData.withFingerprint(j, "sha256:seed2"), null).getTestLoss()).isNotEqualTo(straight.getTestLoss());
    }

    @Test
    void killedAfterAnEpochResumesAndEndsExactlyLikeAnUninterruptedRun() throws Exception {
        Path out = work.resolve("killed");
        Recorder first = new Recorder();
        assertThatThrownBy(() -> TRAINER.run(job(out), killAfter(1, first))).isInstanceOf(Kill.class);
        assertThat(out.resolve("fingerprint")).doesNotExist();
        assertThat(out.resolve("checkpoints/epoch-0001")).isDirectory();

        Recorder second = new Recorder();
        StageMetrics resumed = TRAINER.run(job(out), second);
        assertThat(second.firstEpoch).isEqualTo(2);
        assertThat(second.epochs).extracting(EpochResult::epoch).containsExactly(2, 3);
        assertThat(resumed.getTestLoss()).isEqualTo(straight.getTestLoss());
        assertThat(resumed.getTestAccuracy()).isEqualTo(straight.getTestAccuracy());
        MetricsFile mf = Json.read(out.resolve("metrics.json"), MetricsFile.class);
        assertThat(mf.resumedFromEpoch()).isEqualTo(1);
        assertThat(mf.epochs()).extracting(EpochResult::epoch).containsExactly(1, 2, 3);
        assertThat(mf.epochs().get(2).trainLoss()).isEqualTo(straightCurve.get(2).trainLoss());
        // only the last checkpoint is kept once the stage is done
        assertThat(new Checkpoints(StageFolder.of(out)).complete()).extracting(p -> p.getFileName().toString()).containsExactly("epoch-0003");
    }

    @Test
    void corruptAndHalfWrittenCheckpointsAreSkipped() throws Exception {
        Path out = work.resolve("corrupt");
        assertThatThrownBy(() -> TRAINER.run(job(out), killAfter(2, new Recorder()))).isInstanceOf(Kill.class);
        Path latest = out.resolve("checkpoints/epoch-0002/model.params");
        byte[] b = Files.readAllBytes(latest);
        b[b.length / 2] ^= 0x5a;
        Files.write(latest, b);
        // a checkpoint killed mid-write: only its temporary folder exists
        Files.createDirectories(out.resolve("checkpoints/.tmp-epoch-0003"));
        Files.write(out.resolve("checkpoints/.tmp-epoch-0003/model.params"), new byte[10]);

        Recorder rec = new Recorder();
        StageMetrics resumed = TRAINER.run(job(out), rec);
        assertThat(rec.firstEpoch).as("resumes after epoch 1, the newest good checkpoint").isEqualTo(2);
        assertThat(resumed.getTestLoss()).isEqualTo(straight.getTestLoss());
        assertThat(out.resolve("checkpoints/.tmp-epoch-0003")).doesNotExist();
    }

    @Test
    void adamAndStepScheduleResumeExactlyToo() throws Exception {
        TrainingSpec t = TestData.training(2);
        t.setOptimizer(Optimizer.ADAM);
        t.setLearningRate(0.002);
        t.setLrSchedule(LearningRateSchedule.STEP);
        t.setLrStepEpochs(1);
        t.setLrGamma(0.5);
        StageJob a = TestData.job("adam", data, work.resolve("adam-a"), TestData.model(Architecture.RESNET, 8), t, null, 400);
        Recorder straightRec = new Recorder();
        StageMetrics full = TRAINER.run(a, straightRec);
        assertThat(straightRec.epochs).extracting(EpochResult::learningRate).containsExactly(0.002, 0.001);

        StageJob b = TestData.withOutput(a, work.resolve("adam-b"));
        assertThatThrownBy(() -> TRAINER.run(b, killAfter(1, new Recorder()))).isInstanceOf(Kill.class);
        assertThat(TRAINER.run(b, null).getTestLoss()).isEqualTo(full.getTestLoss());
    }
}
