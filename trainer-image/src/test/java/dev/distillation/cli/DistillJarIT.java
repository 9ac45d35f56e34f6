package dev.distillation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobCodec;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.Json;
import dev.distillation.trainer.JarProcess;
import dev.distillation.trainer.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged trainer, as the image runs it: {@code java -jar distillation-trainer.jar} (libraries
 * beside it in lib/) in a separate process, offline, on the committed Fashion-MNIST sample.
 */
class DistillJarIT {

    @TempDir
    static Path work;
    static Path data;
    static Path jar;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void setUp() throws Exception {
        jar = JarProcess.jar();
        assertThat(jar).as("the packaged jar (run `verify`, not `test`)").isRegularFile();
        data = TestData.sample();
    }

    static Result distill(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return distillWithHeap("1g", env, args);
    }

    static Result distillWithHeap(String maxHeap, Map<String, String> env, String... args) throws IOException, InterruptedException {
        JarProcess.Result r = JarProcess.run(work, maxHeap, env, args);
        return new Result(r.exit(), r.out(), r.err());
    }

    @Test
    void versionIsTheProjectsVersion() throws Exception {
        Result r = distill(Map.of(), "--version");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("distill " + System.getProperty("distill.version"));
    }

    @Test
    void trainsAStageAndWritesItsOutputsAndTerminationMessage() throws Exception {
        Path out = work.resolve("stage");
        // two epochs of the 800-image sample: ~0.68 (chance is 0.1)
        StageJob job = TestData.job("jar", data, out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(2), null, null);
        Path jobFile = work.resolve("stage.json");
        Files.writeString(jobFile, StageJobCodec.write(job));
        Path term = work.resolve("termination-log");

        Result r = distill(Map.of(), "train", "--job", jobFile.toString(), "--device", "cpu", "--threads", "2",
                "--termination-log", term.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 1/2").contains("epoch 2/2").contains("img/s").contains("test-acc");
        for (String f : List.of("model.params", "model.json", "metrics.json", "fingerprint", "checkpoints/epoch-0002/state.json")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        String message = Files.readString(term, StandardCharsets.UTF_8);
        StageMetrics m = Json.COMPACT.readValue(message, StageMetrics.class);
        assertThat(m.getTestAccuracy()).isGreaterThan(0.5);
        assertThat(m.getEpochs()).isEqualTo(2);
        assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);

        // the same job from the environment variable: already complete, results reused
        Result again = distill(Map.of(StageJob.ENV_VAR, StageJobCodec.write(job)), "train", "--termination-log", term.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("epoch 1/2");
        assertThat(Json.COMPACT.readValue(Files.readString(term), StageMetrics.class)).isEqualTo(m);
    }

    @Test
    void badStageJobFieldExitsTwoNamingTheField() throws Exception {
        StageJob job = TestData.job("bad", data, work.resolve("bad"), TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1), null, null);
        String json = StageJobCodec.write(job).replace("\"batchSize\":128", "\"batchSize\":0");
        Path term = work.resolve("bad-termination-log");
        Result r = distill(Map.of(StageJob.ENV_VAR, json), "train", "--termination-log", term.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("training.batchSize").contains("got 0").doesNotContain("Exception");
        assertThat(Files.readString(term)).startsWith("error: ").contains("training.batchSize");
    }

    @Test
    void missingDatasetExitsTwoNamingThePath() throws Exception {
        Path missing = work.resolve("nowhere");
        StageJob job = TestData.job("nodata", missing, work.resolve("nodata"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), null, null);
        Path jobFile = work.resolve("nodata.json");
        Files.writeString(jobFile, StageJobCodec.write(job));
        Result r = distill(Map.of(), "train", "--job", jobFile.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(missing.toString()).doesNotContain("at dev.distillation");
    }

    @Test
    void aHeapTooSmallForTheDatasetExitsThreeNamingTheMemoryField() throws Exception {
        // the real Fashion-MNIST's 60,000 training images take 47 MB on the heap alone
        StageJob job = TestData.job("oom", TestData.fashion(), work.resolve("oom"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), null, null);
        Path term = work.resolve("oom-termination-log");
        Result r = distillWithHeap("24m", Map.of(StageJob.ENV_VAR, StageJobCodec.write(job)), "train", "--termination-log", term.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        String message = Files.readString(term);
        assertThat(message).startsWith("error: out of memory while loading the dataset: the JVM heap (at most ")
                .contains("OutOfMemoryError").contains("raise spec.trainer.resources.memory");
        assertThat(r.err()).contains("out of memory").doesNotContain("\tat ");
    }

    @Test
    void helpAndUsageErrors() throws Exception {
        Result help = distill(Map.of(), "train", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--job").contains("--device").contains("--termination-log");
        Result noJob = distill(Map.of(), "train");
        assertThat(noJob.exit()).isEqualTo(2);
        assertThat(noJob.err()).contains(StageJob.ENV_VAR);
    }
}
