package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobInput;
import dev.distillation.api.job.StageJobModel;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages whose network is a TorchScript file (src/test/resources/torchscript/generate.py writes them):
 * trained as students, frozen as teachers of built-in students and the other way round, evaluated as
 * pretrained stages, resumed from a checkpoint, and refused with a message naming the field when
 * their declaration or the file does not fit the dataset.
 */
class TorchScriptStageTest {

    static final StageRunner TRAINER = new StageRunner(new TrainerOptions("cpu", 2, null));

    @TempDir
    static Path shared;
    static Path teacherDir;
    static StageMetrics teacher;

    @TempDir
    Path work;

    static Path fixture(String name) {
        try {
            return Path.of(TorchScriptStageTest.class.getResource("/torchscript/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static StageJobModel torchscript(String file, int channels, int size, int classes) {
        return new StageJobModel(Architecture.TORCHSCRIPT, null, null, file == null ? null : fixture(file).toString(),
                new StageJobInput(channels, size, size, null, null), classes);
    }

    static StageJobModel fashionNet(String file) {
        return torchscript(file, 1, 28, 10);
    }

    static StageJob job(String stage, Path out, StageJobModel model, int epochs, Path teacherDir) {
        return TestData.job(stage, TestData.sample(), out, model, TestData.training(epochs), teacherDir, null);
    }

    static StageJob pretrained(String stage, Path out, StageJobModel model, Path pretrained) {
        StageJob j = job(stage, out, model, 1, null);
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(), j.dataset(), null,
                pretrained.toString(), j.outputDir(), null);
    }

    @BeforeAll
    static void trainTheTeacher() throws Exception {
        teacherDir = shared.resolve("ts-teacher");
        teacher = TRAINER.run(job("ts-teacher", teacherDir, fashionNet("cnn-1x28x28-10.pt"), 3, null), null);
    }

    @Test
    void aTorchScriptStudentIsTrainedAndSavedBackAsTorchScript() throws Exception {
        // ten classes: chance is 0.1; three epochs on 800 images take the small CNN far above it
        assertThat(teacher.getTestAccuracy()).isGreaterThan(0.5);
        assertThat(teacherDir.resolve("model.pt")).isRegularFile();
        assertThat(teacherDir.resolve("model.params")).doesNotExist();
        assertThat(Files.readAllBytes(teacherDir.resolve("model.pt"))).isNotEqualTo(Files.readAllBytes(fixture("cnn-1x28x28-10.pt")));
        ModelInfo info = Json.read(teacherDir.resolve("model.json"), ModelInfo.class);
        assertThat(info.architecture()).isEqualTo("torchscript");
        assertThat(info.classes()).isEqualTo(10);
        assertThat(info.inputShape()).containsExactly(1L, 28L, 28L);
        // 8·(9+1) + 2·8 + 16·(8·9+1) + 2·16 + 10·(16·7·7+1): generate.py prints the same count
        assertThat(info.parameters()).isEqualTo(9146);
        assertThat(StageFolder.of(teacherDir).verify()).isEmpty();
    }

    @Test
    void aPretrainedTorchScriptStageScoresWhatTheStageThatTrainedItScored() throws Exception {
        // a folder holding model.pt (a finished stage) and the file itself are both accepted
        StageMetrics fromFolder = TRAINER.run(pretrained("eval-folder", work.resolve("a"), fashionNet(null), teacherDir), null);
        StageMetrics fromFile = TRAINER.run(pretrained("eval-file", work.resolve("b"), fashionNet(null), teacherDir.resolve("model.pt")), null);
        assertThat(fromFolder.getTestAccuracy()).isEqualTo(teacher.getTestAccuracy());
        assertThat(fromFile.getTestAccuracy()).isEqualTo(teacher.getTestAccuracy());
        assertThat(fromFile.getEpochs()).isZero();
        assertThat(work.resolve("b/model.pt")).hasSameBinaryContentAs(teacherDir.resolve("model.pt"));
    }

    @Test
    void aBuiltInStudentLearnsFromATorchScriptTeacherAndTheOtherWayRound() throws Exception {
        StageMetrics builtin = TRAINER.run(job("plain-from-ts", work.resolve("plain"), TestData.model(Architecture.PLAIN_CNN, 2), 2,
                teacherDir), null);
        assertThat(builtin.getTeacherLogits()).isEqualTo("cached");
        assertThat(builtin.getTestAccuracy()).isGreaterThan(0.4);

        StageMetrics ts = TRAINER.run(job("ts-from-plain", work.resolve("ts"), fashionNet("tiny-1x28x28-10.pt"), 2,
                work.resolve("plain")), null);
        assertThat(ts.getTeacherLogits()).isEqualTo("cached");
        assertThat(ts.getTestAccuracy()).isGreaterThan(0.4);
        assertThat(work.resolve("ts/model.pt")).isRegularFile();
    }

    @Test
    void aKilledTorchScriptStageResumesFromItsCheckpointExactly() throws Exception {
        Path out = work.resolve("killed");
        StageJob job = job("resume", out, fashionNet("tiny-1x28x28-10.pt"), 2, null);
        StageMetrics straight = TRAINER.run(TestData.withOutput(job, work.resolve("straight")), null);
        assertThatThrownBy(() -> TRAINER.run(job, ResumeTest.killAfter(1, new Recorder()))).isInstanceOf(ResumeTest.Kill.class);
        Recorder second = new Recorder();
        StageMetrics resumed = TRAINER.run(job, second);
        assertThat(second.firstEpoch).isEqualTo(2);
        assertThat(resumed.getTestLoss()).isEqualTo(straight.getTestLoss());
    }

    @Test
    void aDeclarationThatDoesNotFitTheDatasetIsRefusedNamingTheField() {
        assertBadInput(job("rgb", work.resolve("rgb"), torchscript("cnn-3x32x32-10.pt", 3, 32, 10), 1, null),
                "model.input.channels is 3 but dataset", "1x28x28");
        assertBadInput(job("wide", work.resolve("wide"), new StageJobModel(Architecture.TORCHSCRIPT, null, null,
                fixture("cnn-1x28x28-10.pt").toString(), new StageJobInput(1, 28, 32, null, null), 10), 1, null),
                "model.input.width is 32");
        assertBadInput(job("seven", work.resolve("seven"), torchscript("mlp-1x28x28-7.pt", 1, 28, 7), 1, null),
                "model.classes is 7 but dataset", "has 10 classes");
        assertThat(work.resolve("rgb/model.pt")).doesNotExist();
    }

    @Test
    void aFileThatDoesNotDoWhatItsDeclarationSaysIsRefusedBeforeTraining() throws Exception {
        assertBadInput(job("seven", work.resolve("seven"), fashionNet("mlp-1x28x28-7.pt"), 1, null),
                "model.torchscript", "gives a tensor of shape (2, 7)", "model.classes (10)");
        assertBadInput(job("rgb", work.resolve("rgb"), fashionNet("cnn-3x32x32-10.pt"), 1, null),
                "model.torchscript", "cannot take a batch of (2, 1, 28, 28) images");
        Path notTorchScript = Files.writeString(work.resolve("model.pt"), "not a model");
        assertBadInput(job("text", work.resolve("text"), new StageJobModel(Architecture.TORCHSCRIPT, null, null,
                notTorchScript.toString(), new StageJobInput(1, 28, 28, null, null), 10), 1, null),
                "model.torchscript", "is not a TorchScript file");
        assertBadInput(job("missing", work.resolve("missing"), new StageJobModel(Architecture.TORCHSCRIPT, null, null,
                work.resolve("nowhere.pt").toString(), new StageJobInput(1, 28, 28, null, null), 10), 1, null),
                "model.torchscript: no TorchScript file", "nowhere.pt");
        assertThat(work.resolve("seven/checkpoints")).doesNotExist();
    }

    private static void assertBadInput(StageJob job, String... fragments) {
        assertThatThrownBy(() -> TRAINER.run(job, null)).isInstanceOfSatisfying(TrainerException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(TrainerException.BAD_INPUT);
            for (String f : List.of(fragments)) {
                assertThat(e.getMessage()).contains(f);
            }
        });
    }
}
