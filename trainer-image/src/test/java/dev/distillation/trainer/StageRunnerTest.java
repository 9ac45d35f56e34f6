package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real training on the committed Fashion-MNIST sample (800 training and 300 test images): a teacher,
 * KD students from it (cached logits and per-batch teacher passes), a pretrained stage, reuse by
 * fingerprint, bad input and a loss that blows up; and one accuracy check on the real Fashion-MNIST.
 *
 * <p>The teacher the students learn from is trained once for the class, before any test, into the
 * class's own folder; tests only read it, and write into their own folders, so they pass or fail
 * alone and in any order.
 */
class StageRunnerTest {

    static final StageRunner TRAINER = new StageRunner(new TrainerOptions("cpu", 2, null));
    static final int TEACHER_EPOCHS = 3;

    @TempDir
    static Path shared;
    static Path teacherDir;
    static StageMetrics teacherMetrics;
    static Recorder teacherEvents;
    static Path teacherTermination;

    @TempDir
    Path work;

    @BeforeAll
    static void trainTheTeacher() throws Exception {
        teacherDir = shared.resolve("teacher");
        teacherTermination = shared.resolve("termination-log");
        teacherEvents = new Recorder();
        StageJob job = TestData.job("teacher", TestData.sample(), teacherDir, TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(TEACHER_EPOCHS), null, null);
        teacherMetrics = new StageRunner(new TrainerOptions("cpu", 2, teacherTermination)).run(job, teacherEvents);
    }

    @Test
    void aTrainedStageReportsEachEpochAndWritesItsOutputsAndTerminationMessage() throws Exception {
        // 800 images in batches of 128: six full batches and one of 32
        assertThat(teacherEvents.firstEpoch).isEqualTo(1);
        assertThat(teacherEvents.batchesPerEpoch).isEqualTo(7);
        assertThat(teacherEvents.batches).isEqualTo(7 * TEACHER_EPOCHS);
        assertThat(teacherEvents.epochs).extracting(EpochResult::epoch).containsExactly(1, 2, 3);
        assertThat(teacherEvents.finished).isEqualTo(teacherMetrics);
        assertThat(teacherMetrics.getEpochs()).isEqualTo(TEACHER_EPOCHS);
        assertThat(teacherMetrics.getTeacherLogits()).isEqualTo("none");
        assertThat(teacherMetrics.getDevice()).isEqualTo("cpu()");
        // the termination message names the folder it left for serving, which exists
        assertThat(teacherMetrics.getExport()).isEqualTo("export");
        assertThat(teacherDir.resolve(teacherMetrics.getExport()).resolve("serving.properties")).isRegularFile();
        assertThat(teacherMetrics.getSamplesPerSecond()).isPositive();
        assertThat(teacherMetrics.getTestAccuracy()).isEqualTo(teacherEvents.epochs.get(TEACHER_EPOCHS - 1).testAccuracy());

        for (String f : List.of("model.params", "model.json", "metrics.json", "fingerprint")) {
            assertThat(teacherDir.resolve(f)).isRegularFile();
        }
        assertThat(teacherDir.resolve("checkpoints")).isDirectoryContaining(p -> p.getFileName().toString().equals("epoch-0003"));
        assertThat(Files.readString(teacherDir.resolve("fingerprint"))).isEqualTo("sha256:teacher-3-1");
        MetricsFile mf = Json.read(teacherDir.resolve("metrics.json"), MetricsFile.class);
        assertThat(mf.epochs()).containsExactlyElementsOf(teacherEvents.epochs);
        assertThat(mf.finalMetrics()).isEqualTo(teacherMetrics);
        assertThat(mf.trainSamples()).isEqualTo(TestData.SAMPLE_TRAIN);
        assertThat(mf.testSamples()).isEqualTo(TestData.SAMPLE_TEST);
        ModelInfo info = Json.read(teacherDir.resolve("model.json"), ModelInfo.class);
        assertThat(info.inputShape()).containsExactly(1L, 28L, 28L);
        assertThat(info.classes()).isEqualTo(10);
        // C16-P-C16-P-FC on 28×28: 16·(9+1) + 2·16 + 16·(16·9+1) + 2·16 + 10·(16·7·7+1)
        assertThat(info.parameters()).isEqualTo(10394);
        String message = Files.readString(teacherTermination);
        assertThat(message).doesNotContain("\n").hasSizeLessThan(4096);
        assertThat(Json.COMPACT.readValue(message, StageMetrics.class)).isEqualTo(teacherMetrics);
    }

    @Test
    void reachesSaneAccuracyAfterOneEpochOn10kRealImages() throws Exception {
        TestData.fashion();
        StageJob job = new StageJob(StageJob.API_VERSION, "test", "real", "sha256:real",
                TestData.model(Architecture.PLAIN_CNN, 2), StageJobTraining.of(TestData.training(1)),
                new StageJob.DatasetLocation("fashion-mnist", "idx", null), null, null, work.resolve("real").toString(), 10000);
        Recorder rec = new Recorder();
        StageMetrics m = TRAINER.run(job, rec);

        // a network that does not learn stays near 10%; one epoch of plain-cnn-2 on 10k images reaches ~80%
        assertThat(m.getTestAccuracy()).isGreaterThan(0.72);
        assertThat(m.getTestLoss()).isLessThan(0.8);
        assertThat(rec.batchesPerEpoch).isEqualTo(79); // ceil(10000 / 128)
        assertThat(rec.epochs.get(0).trainAccuracy()).isBetween(0.4, 1.0);
        assertThat(Json.read(work.resolve("real/metrics.json"), MetricsFile.class).testSamples()).isEqualTo(10000);
    }

    @Test
    void kdStudentWithCachedTeacherLogits() throws Exception {
        Recorder rec = new Recorder();
        StageJob job = TestData.job("student", TestData.sample(), work.resolve("student"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(3), teacherDir, null);
        StageMetrics m = TRAINER.run(job, rec);
        // a student that does not learn stays near 0.1; three epochs from this teacher (~0.68) reach ~0.6
        assertThat(m.getTeacherLogits()).isEqualTo("cached");
        assertThat(m.getTestAccuracy()).isGreaterThan(0.5);
        assertThat(rec.epochs).allSatisfy(e -> assertThat(e.trainLoss()).isFinite().isPositive());
    }

    @Test
    void kdStudentWithAugmentationRunsTheTeacherPerBatch() throws Exception {
        // a student that does not learn stays near 0.1; three epochs of augmented images reach ~0.54
        TrainingSpec t = TestData.training(3);
        t.setAugment(true);
        StageJob job = TestData.job("student-aug", TestData.sample(), work.resolve("student-aug"),
                TestData.model(Architecture.PLAIN_CNN, 2), t, teacherDir, null);
        StageMetrics m = TRAINER.run(job, new Recorder());
        assertThat(m.getTeacherLogits()).isEqualTo("per-batch");
        assertThat(m.getTestAccuracy()).isGreaterThan(0.4);
    }

    @Test
    void pretrainedStageEvaluatesTheCheckpointWithoutTraining() throws Exception {
        Path out = work.resolve("pretrained");
        StageJob job = new StageJob(StageJob.API_VERSION, "test", "pretrained", "sha256:p",
                TestData.model(Architecture.PLAIN_CNN, 2), StageJobTraining.of(TestData.training(5)),
                new StageJob.DatasetLocation(null, "idx", TestData.sample().toString()), null, teacherDir.toString(), out.toString(), null);
        Recorder rec = new Recorder();
        StageMetrics m = TRAINER.run(job, rec);
        assertThat(rec.firstEpoch).isEqualTo(-1);
        assertThat(m.getEpochs()).isZero();
        // the same weights on the same test split: the teacher's own accuracy
        assertThat(m.getTestAccuracy()).isEqualTo(teacherMetrics.getTestAccuracy());
        assertThat(Files.readAllBytes(out.resolve("model.params"))).isEqualTo(Files.readAllBytes(teacherDir.resolve("model.params")));
        assertThat(Files.readString(out.resolve("fingerprint"))).isEqualTo("sha256:p");
        assertThat(Json.read(out.resolve("model.json"), ModelInfo.class).stage()).isEqualTo("pretrained");
        assertThat(m.getExport()).isEqualTo("export");
        assertThat(out.resolve(m.getExport()).resolve("serving.properties")).isRegularFile();

        StageJob wrong = new StageJob(job.apiVersion(), job.chain(), job.stage(), "sha256:p2", TestData.model(Architecture.PLAIN_CNN, 4),
                job.training(), job.dataset(), null, teacherDir.toString(), work.resolve("pretrained-wrong").toString(), null);
        assertThatThrownBy(() -> TRAINER.run(wrong, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("plain-cnn-2").hasMessageContaining("plain-cnn-4");
    }

    @Test
    void completedStageIsReusedWhenTheFingerprintMatchesAndRetrainedWhenNot() throws Exception {
        Path out = work.resolve("reuse");
        StageJob job = TestData.job("reuse", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1),
                null, 500);
        StageMetrics first = TRAINER.run(job, null);
        Recorder again = new Recorder();
        assertThat(TRAINER.run(job, again)).isEqualTo(first);
        assertThat(again.firstEpoch).as("no training on reuse").isEqualTo(-1);
        assertThat(again.finished).isEqualTo(first);

        Recorder changed = new Recorder();
        TRAINER.run(TestData.withFingerprint(job, "sha256:other"), changed);
        assertThat(changed.firstEpoch).isEqualTo(1);
        assertThat(changed.epochs).hasSize(1);
        assertThat(Files.readString(out.resolve("fingerprint"))).isEqualTo("sha256:other");
    }

    @Test
    void badTeacherFilesAreBadInput() throws Exception {
        Path broken = Files.createDirectories(work.resolve("broken-teacher"));
        Files.copy(teacherDir.resolve("model.json"), broken.resolve("model.json"));
        byte[] params = Files.readAllBytes(teacherDir.resolve("model.params"));
        Files.write(broken.resolve("model.params"), java.util.Arrays.copyOf(params, params.length / 2));
        StageJob job = TestData.job("s", TestData.sample(), work.resolve("s"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), broken, null);
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining(broken.resolve("model.params").toString());
        Files.delete(broken.resolve("model.json"));
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining(broken.resolve("model.json").toString()).hasMessageContaining("does not exist");
    }

    @Test
    void missingDatasetAndWrongFormatAreBadInput() {
        StageJob missing = TestData.job("m", work.resolve("no-such-data"), work.resolve("m"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), null, null);
        assertThatThrownBy(() -> TRAINER.run(missing, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("no-such-data");
        StageJob j = TestData.job("w", TestData.sample(), work.resolve("w"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), null, null);
        StageJob wrongFormat = new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(),
                new StageJob.DatasetLocation(null, "cifar10", TestData.sample().toString()), null, null, j.outputDir(), null);
        assertThatThrownBy(() -> TRAINER.run(wrongFormat, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("data_batch_1.bin");
        StageJob badField = j.withMaxTrainSamples(0);
        assertThatThrownBy(() -> TRAINER.run(badField, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("maxTrainSamples");
    }

    @Test
    void aLossThatBlowsUpFailsTheStageNamingTheStepAndTheSetting() {
        // the largest learning rate and weight decay a spec allows: each SGD step multiplies the weights
        // by about -9, so within some forty steps (six epochs of the 800 images) they pass float range and
        // the loss is NaN
        TrainingSpec t = TestData.training(10);
        t.setLearningRate(10.0);
        t.setWeightDecay(1.0);
        Path out = work.resolve("diverged");
        StageJob job = TestData.job("diverged", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2), t, null, null);
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.TRAINING_FAILED))
                .hasMessageContaining("training diverged").hasMessageContaining(", step ")
                .hasMessageContaining("training.learningRate");
        assertThat(out.resolve("model.params")).doesNotExist();
        assertThat(out.resolve("metrics.json")).doesNotExist();
    }

    @Test
    void aTeacherWithNonFiniteWeightsIsBadInputBeforeAnyStudentStep() throws Exception {
        Path nanTeacher = work.resolve("nan-teacher");
        ModelFiles.Loaded loaded = ModelFiles.load(teacherDir, ai.djl.Device.cpu(), "teacher");
        try (ai.djl.Model model = loaded.model()) {
            model.getBlock().getParameters().valueAt(0).getArray().muli(Float.NaN);
            ModelFiles.save(nanTeacher, model, loaded.info());
        }
        // a teacher stage that completed with diverged weights, as the trainer once let happen
        Files.copy(teacherDir.resolve("metrics.json"), nanTeacher.resolve("metrics.json"));
        StageFolder.of(nanTeacher).markComplete("sha256:nan-teacher");
        Path out = work.resolve("from-nan-teacher");
        StageJob job = TestData.job("from-nan", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1),
                nanTeacher, null);
        Recorder rec = new Recorder();
        assertThatThrownBy(() -> TRAINER.run(job, rec))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.BAD_INPUT))
                .hasMessageContaining(nanTeacher.resolve("model.params").toString()).hasMessageContaining("not finite");
        assertThat(rec.batches).isZero();
        assertThat(out.resolve("model.params")).doesNotExist();
    }

    @Test
    void aRunThatCollapsesFailsTheStageWithoutACheckpointAndSaysWhatToChange() {
        // a learning rate 10 times the default without warmup or clipping, 50 steps an epoch: the
        // network ends the first epoch predicting one class (measured: 100% of the test images)
        TrainingSpec t = TestData.training(3);
        t.setLearningRate(0.5);
        t.setBatchSize(16);
        t.setWarmupEpochs(0.0);
        t.setGradientClipNorm(0.0);
        Path out = work.resolve("collapsed");
        StageJob job = TestData.job("collapsed", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 4), t, null, null);
        Recorder rec = new Recorder();
        assertThatThrownBy(() -> TRAINER.run(job, rec))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.TRAINING_FAILED))
                .hasMessageContaining("training collapsed: after epoch 1").hasMessageContaining("of the test images")
                .hasMessageContaining("lower training.learningRate (now 0.5)");
        assertThat(rec.epochs).as("the collapsed epoch is reported, none after it").hasSize(1);
        assertThat(rec.epochs.get(0).testAccuracy()).isLessThan(0.15);
        assertThat(out.resolve("checkpoints/epoch-0001")).doesNotExist();
        assertThat(out.resolve("fingerprint")).doesNotExist();
    }

    @Test
    void aTeacherChangedAfterItCompletedIsBadInputNamingTheFile() throws Exception {
        Path changed = work.resolve("changed-teacher");
        for (String f : List.of("model.params", "model.json", "metrics.json", "SHA256SUMS", "fingerprint")) {
            Files.createDirectories(changed);
            Files.copy(teacherDir.resolve(f), changed.resolve(f));
        }
        // one weight's last byte: the file still loads, into a slightly different network
        byte[] params = Files.readAllBytes(changed.resolve("model.params"));
        params[params.length - 2] ^= 0x01;
        Files.write(changed.resolve("model.params"), params);
        Path out = work.resolve("from-changed");
        StageJob job = TestData.job("from-changed", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), changed, null);
        Recorder rec = new Recorder();
        assertThatThrownBy(() -> TRAINER.run(job, rec))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.BAD_INPUT))
                .hasMessageContaining(changed.resolve("model.params") + " does not match its checksum");
        assertThat(rec.batches).isZero();

        Files.delete(changed.resolve("SHA256SUMS"));
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.BAD_INPUT))
                .hasMessageContaining(changed.resolve("SHA256SUMS") + " is missing");
    }

    @Test
    void aCompletedStageWhoseResultChangedIsTrainedAgainNotReused() throws Exception {
        Path out = work.resolve("changed");
        StageJob job = TestData.job("changed", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1),
                null, 500);
        StageMetrics first = TRAINER.run(job, null);
        assertThat(StageFolder.of(out).verify()).isEmpty();
        Files.writeString(out.resolve("metrics.json"), "{}");
        assertThat(StageFolder.of(out).verify()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("metrics.json does not match its checksum");
        Recorder again = new Recorder();
        // not reused: the stage runs again, here from the last epoch's checkpoint, and writes its result anew
        assertThat(TRAINER.run(job, again)).isEqualTo(first);
        assertThat(again.firstEpoch).as("run again, not reused").isEqualTo(2);
        assertThat(StageFolder.of(out).verify()).isEmpty();
        assertThat(Json.read(out.resolve("metrics.json"), MetricsFile.class).finalMetrics()).isEqualTo(first);
    }
}
