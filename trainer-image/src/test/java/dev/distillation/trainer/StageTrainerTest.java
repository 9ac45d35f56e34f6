package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real training on Fashion-MNIST: a teacher on 10k images for one epoch, KD students from it
 * (cached logits and per-batch teacher passes), a pretrained stage, reuse by fingerprint. Runs
 * that only check plumbing use a 2,000/1,000-image subset written as IDX files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StageTrainerTest {

    @TempDir
    static Path work;
    static Path small;
    static Path teacherDir;
    static StageMetrics teacherMetrics;
    static final StageRunner TRAINER = new StageRunner(new TrainerOptions("cpu", 2, null));

    /** Records what the trainer reports. */
    static final class Recorder implements TrainingListener {
        int firstEpoch = -1;
        long batchesPerEpoch;
        final List<EpochResult> epochs = new ArrayList<>();
        long batches;
        StageMetrics finished;

        @Override
        public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
            this.firstEpoch = firstEpoch;
            this.batchesPerEpoch = batchesPerEpoch;
        }

        @Override
        public void onBatch(int epoch, long batch, long perEpoch, long samplesSeen) {
            batches++;
        }

        @Override
        public void onEpoch(EpochResult r) {
            epochs.add(r);
        }

        @Override
        public void onFinish(StageMetrics m) {
            finished = m;
        }
    }

    @BeforeAll
    static void data() throws Exception {
        small = TestData.fashionSubset(work.resolve("small"), 2000, 1000);
    }

    @Test
    @Order(1)
    void teacherReachesSaneAccuracyAfterOneEpochOn10kImages() throws Exception {
        teacherDir = work.resolve("teacher");
        StageJob job = new StageJob(StageJob.API_VERSION, "test", "teacher", "sha256:teacher",
                TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1),
                new StageJob.DatasetLocation("fashion-mnist", "idx", null), null, null, teacherDir.toString(), 10000);
        TestData.fashion();
        Path term = work.resolve("termination-log");
        Recorder rec = new Recorder();
        teacherMetrics = new StageRunner(new TrainerOptions("cpu", 2, term)).run(job, rec);

        // a network that does not learn stays near 10%; one epoch of plain-cnn-2 on 10k images reaches ~80%
        assertThat(teacherMetrics.getTestAccuracy()).isGreaterThan(0.72);
        assertThat(teacherMetrics.getTestLoss()).isLessThan(0.8);
        assertThat(teacherMetrics.getEpochs()).isEqualTo(1);
        assertThat(teacherMetrics.getTeacherLogits()).isEqualTo("none");
        assertThat(teacherMetrics.getDevice()).isEqualTo("cpu()");
        assertThat(teacherMetrics.getSamplesPerSecond()).isPositive();
        assertThat(rec.firstEpoch).isEqualTo(1);
        assertThat(rec.batchesPerEpoch).isEqualTo(79); // ceil(10000 / 128)
        assertThat(rec.batches).isEqualTo(79);
        assertThat(rec.epochs).hasSize(1);
        assertThat(rec.epochs.get(0).trainAccuracy()).isBetween(0.4, 1.0);
        assertThat(rec.finished).isEqualTo(teacherMetrics);

        for (String f : List.of("model.params", "model.json", "metrics.json", "fingerprint")) {
            assertThat(teacherDir.resolve(f)).isRegularFile();
        }
        assertThat(Files.readString(teacherDir.resolve("fingerprint"))).isEqualTo("sha256:teacher");
        MetricsFile mf = Json.read(teacherDir.resolve("metrics.json"), MetricsFile.class);
        assertThat(mf.epochs()).containsExactlyElementsOf(rec.epochs);
        assertThat(mf.finalMetrics()).isEqualTo(teacherMetrics);
        assertThat(mf.trainSamples()).isEqualTo(10000);
        ModelInfo info = Json.read(teacherDir.resolve("model.json"), ModelInfo.class);
        assertThat(info.inputShape()).containsExactly(1L, 28L, 28L);
        assertThat(info.classes()).isEqualTo(10);
        assertThat(info.parameters()).isEqualTo(10394);
        String message = Files.readString(term);
        assertThat(message).doesNotContain("\n").hasSizeLessThan(4096);
        assertThat(Json.COMPACT.readValue(message, StageMetrics.class)).isEqualTo(teacherMetrics);
    }

    @Test
    @Order(2)
    void kdStudentWithCachedTeacherLogits() throws Exception {
        Recorder rec = new Recorder();
        StageJob job = TestData.job("student", small, work.resolve("student"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), teacherDir, null);
        StageMetrics m = TRAINER.run(job, rec);
        assertThat(m.getTeacherLogits()).isEqualTo("cached");
        assertThat(m.getTestAccuracy()).isGreaterThan(0.5);
        assertThat(rec.epochs.get(0).trainLoss()).isFinite().isPositive();
    }

    @Test
    @Order(3)
    void kdStudentWithAugmentationRunsTheTeacherPerBatch() throws Exception {
        // two epochs of the 2000 images (32 steps): one epoch of 1000 (8 steps) left the accuracy to chance
        // in the rounding (0.28 to 0.31 between memory layouts); a student that does not learn stays near 0.1
        TrainingSpec t = TestData.training(2);
        t.setAugment(true);
        StageJob job = TestData.job("student-aug", small, work.resolve("student-aug"), TestData.model(Architecture.PLAIN_CNN, 2),
                t, teacherDir, null);
        StageMetrics m = TRAINER.run(job, new Recorder());
        assertThat(m.getTeacherLogits()).isEqualTo("per-batch");
        assertThat(m.getTestAccuracy()).isGreaterThan(0.4);
    }

    @Test
    @Order(4)
    void pretrainedStageEvaluatesTheCheckpointWithoutTraining() throws Exception {
        Path out = work.resolve("pretrained");
        StageJob job = new StageJob(StageJob.API_VERSION, "test", "pretrained", "sha256:p",
                TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(5),
                new StageJob.DatasetLocation("fashion-mnist", "idx", null), null, teacherDir.toString(), out.toString(), null);
        Recorder rec = new Recorder();
        StageMetrics m = TRAINER.run(job, rec);
        assertThat(rec.firstEpoch).isEqualTo(-1);
        assertThat(m.getEpochs()).isZero();
        // the same weights on the same test split: the teacher's own accuracy
        assertThat(m.getTestAccuracy()).isEqualTo(teacherMetrics.getTestAccuracy());
        assertThat(Files.readAllBytes(out.resolve("model.params"))).isEqualTo(Files.readAllBytes(teacherDir.resolve("model.params")));
        assertThat(Files.readString(out.resolve("fingerprint"))).isEqualTo("sha256:p");

        StageJob wrong = new StageJob(job.apiVersion(), job.chain(), job.stage(), "sha256:p2", TestData.model(Architecture.PLAIN_CNN, 4),
                job.training(), job.dataset(), null, teacherDir.toString(), work.resolve("pretrained-wrong").toString(), null);
        assertThatThrownBy(() -> TRAINER.run(wrong, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("plain-cnn-2").hasMessageContaining("plain-cnn-4");
    }

    @Test
    @Order(5)
    void completedStageIsReusedWhenTheFingerprintMatchesAndRetrainedWhenNot() throws Exception {
        Path out = work.resolve("reuse");
        StageJob job = TestData.job("reuse", small, out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1), null, 500);
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
    @Order(6)
    void badTeacherFilesAreBadInput() throws Exception {
        Path broken = Files.createDirectories(work.resolve("broken-teacher"));
        Files.copy(teacherDir.resolve("model.json"), broken.resolve("model.json"));
        byte[] params = Files.readAllBytes(teacherDir.resolve("model.params"));
        Files.write(broken.resolve("model.params"), java.util.Arrays.copyOf(params, params.length / 2));
        StageJob job = TestData.job("s", small, work.resolve("s"), TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1), broken, null);
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining(broken.resolve("model.params").toString());
        Files.delete(broken.resolve("model.json"));
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining(broken.resolve("model.json").toString()).hasMessageContaining("does not exist");
    }

    @Test
    @Order(7)
    void missingDatasetAndWrongFormatAreBadInput() {
        StageJob missing = TestData.job("m", work.resolve("no-such-data"), work.resolve("m"), TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), null, null);
        assertThatThrownBy(() -> TRAINER.run(missing, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("no-such-data");
        StageJob j = TestData.job("w", small, work.resolve("w"), TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1), null, null);
        StageJob wrongFormat = new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(),
                new StageJob.DatasetLocation(null, "cifar10", small.toString()), null, null, j.outputDir(), null);
        assertThatThrownBy(() -> TRAINER.run(wrongFormat, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("data_batch_1.bin");
        StageJob badField = new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(),
                j.dataset(), null, null, j.outputDir(), 0);
        assertThatThrownBy(() -> TRAINER.run(badField, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("maxTrainSamples");
    }

    @Test
    @Order(8)
    void aLossThatBlowsUpFailsTheStageNamingTheStepAndTheSetting() {
        // the largest learning rate and weight decay a spec allows: each SGD step multiplies the weights
        // by about -9, so within a few epochs of the 2,000 images they pass float range and the loss is NaN
        TrainingSpec t = TestData.training(4);
        t.setLearningRate(10.0);
        t.setWeightDecay(1.0);
        Path out = work.resolve("diverged");
        StageJob job = TestData.job("diverged", small, out, TestData.model(Architecture.PLAIN_CNN, 2), t, null, null);
        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.FAILURE))
                .hasMessageContaining("training diverged").hasMessageContaining(", step ")
                .hasMessageContaining("training.learningRate");
        assertThat(out.resolve("model.params")).doesNotExist();
        assertThat(out.resolve("metrics.json")).doesNotExist();
    }

    @Test
    @Order(9)
    void aTeacherWithNonFiniteWeightsIsBadInputBeforeAnyStudentStep() throws Exception {
        Path nanTeacher = work.resolve("nan-teacher");
        ModelFiles.Loaded loaded = ModelFiles.load(teacherDir, ai.djl.Device.cpu(), "teacher");
        try (ai.djl.Model model = loaded.model()) {
            model.getBlock().getParameters().valueAt(0).getArray().muli(Float.NaN);
            ModelFiles.save(nanTeacher, model, loaded.info());
        }
        Path out = work.resolve("from-nan-teacher");
        StageJob job = TestData.job("from-nan", small, out, TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1),
                nanTeacher, null);
        Recorder rec = new Recorder();
        assertThatThrownBy(() -> TRAINER.run(job, rec))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.BAD_INPUT))
                .hasMessageContaining(nanTeacher.resolve("model.params").toString()).hasMessageContaining("not finite");
        assertThat(rec.batches).isZero();
        assertThat(out.resolve("model.params")).doesNotExist();
    }
}
