package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.local.StageExecutor.StageFailedException;
import dev.distillation.local.StageReport.Outcome;
import dev.distillation.trainer.EpochResult;
import dev.distillation.trainer.StageFolder;
import dev.distillation.trainer.TrainingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's bookkeeping (plan, folders, reuse, resume, failures, reports) with a fake trainer: fast, no DJL. */
class LocalRunnerTest {

    static final String CHAIN = """
            apiVersion: distillation.dev/v1alpha1
            kind: DistillationChain
            metadata: {name: fake}
            spec:
              dataset: {builtin: fashion-mnist}
              training: {epochs: 2}
              stages:
                - {name: teacher, model: {architecture: plain-cnn, depth: 6}}
                - {name: student, model: {architecture: plain-cnn, depth: 2}, teacher: teacher, training: {epochs: %d}}
                - {name: alone,   model: {architecture: plain-cnn, depth: 2}}
            """;

    @TempDir
    Path work;

    /** Writes what the trainer writes, checksums and fingerprint last; fails the stages it is told to. */
    static final class FakeTrainer implements StageExecutor {
        final List<StageJob> jobs = new ArrayList<>();
        final Map<String, Integer> failWith = new LinkedHashMap<>();
        /** Validation accuracy by stage (or candidate) name, reported when the job holds out a split (default 0.5). */
        final Map<String, Double> validationOf = new LinkedHashMap<>();
        final ObjectMapper json = new ObjectMapper();

        @Override
        public StageMetrics run(StageJob job, TrainingListener listener) throws StageFailedException {
            jobs.add(job);
            try {
                StageFolder out = StageFolder.of(Path.of(job.outputDir()));
                Files.writeString(out.params(), "weights of " + job.stage());
                Integer code = failWith.get(job.stage());
                if (code != null) {
                    // as the trainer does when a stage fails after its first epoch: that epoch's checkpoint stays
                    Files.createDirectories(out.checkpoint(1));
                    throw new StageFailedException(code, "boom in " + job.stage(), null);
                }
                int epochs = job.training().getEpochs();
                listener.onStart(job, 1, epochs, 3);
                List<EpochResult> curve = new ArrayList<>();
                for (int e = 1; e <= epochs; e++) {
                    for (int b = 1; b <= 3; b++) {
                        listener.onBatch(e, b, 3, (long) b * job.training().getBatchSize());
                    }
                    EpochResult r = new EpochResult(e, 1.0 / e, 0.5, 0.5 / e, 0.5 + job.model().getDepth() / 100.0 + e / 1000.0,
                            0.1, 2.0, 1000);
                    curve.add(r);
                    listener.onEpoch(r);
                }
                StageMetrics m = new StageMetrics();
                m.setTestAccuracy(curve.get(curve.size() - 1).testAccuracy());
                m.setTestLoss(curve.get(curve.size() - 1).testLoss());
                m.setEpochs(epochs);
                m.setTrainSeconds(2.0 * epochs);
                m.setSamplesPerSecond(1000.0);
                if (job.validation() != null) {
                    double v = validationOf.getOrDefault(job.stage(), 0.5);
                    m.setValidationAccuracy(v);
                    m.setValidationLoss(1 - v);
                }
                Map<String, Object> metricsJson = new LinkedHashMap<>(json.convertValue(m, Map.class));
                metricsJson.put("epochs", curve);
                json.writeValue(out.metrics().toFile(), metricsJson);
                Files.writeString(out.modelInfo(), "{}");
                out.markComplete(job.fingerprint());
                listener.onFinish(m);
                return m;
            } catch (java.io.IOException e) {
                throw new StageFailedException(1, e.toString(), e);
            }
        }

        List<String> stages() {
            return jobs.stream().map(StageJob::stage).toList();
        }
    }

    private LocalRunner.Result run(FakeTrainer trainer, int studentEpochs, Overrides overrides, StringWriter log) throws Exception {
        DistillationChain chain = ChainYaml.parse("chain.yaml", CHAIN.formatted(studentEpochs));
        PrintWriter out = new PrintWriter(log, true);
        return new LocalRunner(trainer, new ProgressReporter(out, false), out)
                .run(chain, new LocalRunner.Settings(work, overrides, Map.of()));
    }

    @Test
    void trainsInOrderReusesAndRerunsOnlyWhatChanged() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        StringWriter log = new StringWriter();
        LocalRunner.Result first = run(trainer, 3, Overrides.NONE, log);

        assertThat(first.exitCode()).isZero();
        assertThat(trainer.stages()).containsExactly("teacher", "student", "alone");
        StageJob student = trainer.jobs.get(1);
        assertThat(student.teacherDir()).isEqualTo(work.resolve("fake/teacher").toAbsolutePath().toString());
        assertThat(student.outputDir()).isEqualTo(work.resolve("fake/student").toAbsolutePath().toString());
        assertThat(student.training().getEpochs()).isEqualTo(3);
        assertThat(trainer.jobs.get(0).teacherDir()).isNull();
        assertThat(first.report().stages()).extracting(StageReport::outcome).containsOnly(Outcome.TRAINED);
        assertThat(first.report().stage("teacher").curve()).hasSize(2);
        assertThat(first.report().stage("student").metrics().getBestTestAccuracy()).isEqualTo(0.523);
        assertThat(log.toString()).contains("student epoch 3/3").contains("plain-cnn-2: student (from teacher)");
        assertThat(work.resolve("fake/student/stagejob.json")).exists();

        // same file again: nothing trained, everything reported as reused
        trainer.jobs.clear();
        StringWriter log2 = new StringWriter();
        LocalRunner.Result second = run(trainer, 3, Overrides.NONE, log2);
        assertThat(trainer.jobs).isEmpty();
        assertThat(second.report().stages()).allMatch(StageReport::reused);
        assertThat(second.report().stage("student").metrics().getTestAccuracy()).isEqualTo(0.523);
        assertThat(log2.toString()).contains("= teacher (plain-cnn-6, from labels): reused, up to date");

        // the student's epochs change: only the student trains, on an emptied folder
        Files.writeString(work.resolve("fake/student/epoch-3.ckpt"), "stale");
        trainer.jobs.clear();
        LocalRunner.Result third = run(trainer, 4, Overrides.NONE, new StringWriter());
        assertThat(trainer.stages()).containsExactly("student");
        assertThat(work.resolve("fake/student/epoch-3.ckpt")).doesNotExist();
        assertThat(third.report().stage("student").outcome()).isEqualTo(Outcome.TRAINED);
        assertThat(third.report().stage("teacher").outcome()).isEqualTo(Outcome.REUSED);
        assertThat(third.report().stage("student").metrics().getEpochs()).isEqualTo(4);
    }

    @Test
    void overridesReachEveryJobEnterTheFingerprintAndTheReport() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        run(trainer, 3, Overrides.NONE, new StringWriter());
        trainer.jobs.clear();
        LocalRunner.Result smoke = run(trainer, 3, new Overrides(1, 500), new StringWriter());

        assertThat(trainer.stages()).containsExactly("teacher", "student", "alone");
        assertThat(trainer.jobs).allSatisfy(j -> {
            assertThat(j.training().getEpochs()).isEqualTo(1);
            assertThat(j.maxTrainSamples()).isEqualTo(500);
        });
        JsonNode report = new ObjectMapper().readTree(smoke.chainDir().resolve("report.json").toFile());
        assertThat(report.path("overrides").path("epochs").asInt()).isEqualTo(1);
        assertThat(report.path("overrides").path("maxTrainSamples").asInt()).isEqualTo(500);
    }

    @Test
    void failedStageSkipsItsStudentsRunsTheOthersAndResumesNextTime() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        trainer.failWith.put("teacher", 1);
        LocalRunner.Result failed = run(trainer, 3, Overrides.NONE, new StringWriter());

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(trainer.stages()).containsExactly("teacher", "alone");
        assertThat(failed.report().stage("teacher").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.report().stage("teacher").message()).isEqualTo("boom in teacher");
        assertThat(failed.report().stage("student").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(failed.chainDir().resolve("report.md")).exists();

        trainer.failWith.clear();
        trainer.jobs.clear();
        LocalRunner.Result again = run(trainer, 3, Overrides.NONE, new StringWriter());
        assertThat(again.exitCode()).isZero();
        assertThat(trainer.stages()).containsExactly("teacher", "student");
        assertThat(again.report().stage("teacher").outcome()).isEqualTo(Outcome.RESUMED);
        assertThat(again.report().stage("alone").outcome()).isEqualTo(Outcome.REUSED);
        // the interrupted teacher's files were kept for the trainer to resume from
        assertThat(Files.readString(work.resolve("fake/teacher/model.params"))).isEqualTo("weights of teacher");
    }

    @Test
    void badInputFromTheTrainerStopsTheRun() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        trainer.failWith.put("teacher", 2);
        LocalRunner.Result r = run(trainer, 3, Overrides.NONE, new StringWriter());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.badInput()).isEqualTo("boom in teacher");
        assertThat(trainer.stages()).containsExactly("teacher");
        assertThat(r.report().stages()).extracting(StageReport::outcome)
                .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED);
        assertThat(r.chainDir().resolve("report.json")).exists();
    }

    @Test
    void volumeDatasetNeedsALocalFolder() throws Exception {
        DistillationChain chain = ChainYaml.parse("c.yaml", """
                apiVersion: distillation.dev/v1alpha1
                kind: DistillationChain
                metadata: {name: vol}
                spec:
                  dataset: {volume: {claimName: cifar, path: /cifar-10-batches-bin, format: cifar10}}
                  stages: [{name: s, model: {architecture: resnet, depth: 8}}]
                """);
        FakeTrainer trainer = new FakeTrainer();
        StringWriter log = new StringWriter();
        PrintWriter out = new PrintWriter(log, true);
        LocalRunner runner = new LocalRunner(trainer, TrainingListener.NONE, out);
        assertThatThrownBy(() -> runner.run(chain, new LocalRunner.Settings(work, null, null)))
                .hasMessageContaining("--volume cifar=/path/to/folder");

        Path data = Files.createDirectories(work.resolve("data/cifar-10-batches-bin"));
        runner.run(chain, new LocalRunner.Settings(work, new Overrides(1, null), Map.of("cifar", work.resolve("data"))));
        assertThat(trainer.jobs.get(0).dataset().path()).isEqualTo(data.toAbsolutePath().toString());
        assertThat(trainer.jobs.get(0).dataset().format()).isEqualTo("cifar10");
    }

    @Test
    void reportFilesAreWritten() throws Exception {
        LocalRunner.Result r = run(new FakeTrainer(), 3, Overrides.NONE, new StringWriter());
        JsonNode report = new ObjectMapper().readTree(r.chainDir().resolve("report.json").toFile());
        assertThat(report.path("chain").asText()).isEqualTo("fake");
        assertThat(report.path("overrides").isObject()).isTrue();
        assertThat(report.path("stages")).hasSize(3);
        for (JsonNode s : report.path("stages")) {
            assertThat(Set.of("teacher", "student", "alone")).contains(s.path("name").asText());
            assertThat(s.path("architecture").asText()).isEqualTo("plain-cnn");
            assertThat(s.path("reused").isBoolean()).isTrue();
            assertThat(s.path("metrics").path("testAccuracy").isNumber()).isTrue();
            assertThat(s.path("metrics").path("trainSeconds").isNumber()).isTrue();
        }
        assertThat(report.path("stages").get(1).path("teacher").asText()).isEqualTo("teacher");
        assertThat(report.path("comparisons").get(0).path("stage").asText()).isEqualTo("student");
        PngAssert.isImage(r.chainDir().resolve("accuracy.png"), AccuracyPlot.WIDTH, AccuracyPlot.HEIGHT);
        assertThat(Files.readString(r.chainDir().resolve("report.md"))).contains("| teacher | plain-cnn-6 |");
    }
}
