package dev.distillation.api.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.Optimizer;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageJobCodecTest {

    static StageJob job() {
        return new StageJob(StageJob.API_VERSION, "c", "teacher", "sha256:abc", new StageJobModel(Architecture.PLAIN_CNN, 4, null),
                StageJobTraining.of(TrainingSpec.DEFAULTS),
                new StageJob.DatasetLocation("fashion-mnist", "idx", null), null, null, "/output", null);
    }

    @Test
    void roundTripsEveryField() throws Exception {
        StageJob job = job();
        StageJob back = StageJobCodec.read(StageJobCodec.write(job));
        assertThat(back.model().getDepth()).isEqualTo(4);
        assertThat(back.training().getOptimizer()).isEqualTo(Optimizer.SGD);
        assertThat(back.training().getLearningRate()).isEqualTo(0.1);
        assertThat(back.dataset().builtin()).isEqualTo("fashion-mnist");
        assertThat(StageJobCodec.write(back)).isEqualTo(StageJobCodec.write(job));
    }

    @Test
    void unknownFieldsOfItsOwnVersionAreIgnored() throws Exception {
        String json = StageJobCodec.write(job()).replace("\"epochs\":30", "\"epochs\":30,\"warmupEpochs\":3")
                .replace("\"outputDir\"", "\"profile\":{\"every\":10},\"outputDir\"");

        StageJob back = StageJobCodec.read(json);

        assertThat(back.training()).isEqualTo(job().training());
        assertThat(back.outputDir()).isEqualTo("/output");
    }

    @Test
    void newerMajorVersionIsRefusedNamingTheVersionUnderstood() {
        String json = StageJobCodec.write(job()).replace(StageJob.API_VERSION, "distillation.dev/stagejob/v2");
        assertThatThrownBy(() -> StageJobCodec.read(json))
                .isInstanceOf(InvalidStageJobException.class)
                .hasMessage("invalid StageJob field 'apiVersion': 'distillation.dev/stagejob/v2' is newer than this trainer, which reads "
                        + "'distillation.dev/stagejob/v1': run a trainer image as new as the operator that wrote the job");
    }

    @Test
    void versionIsCheckedBeforeTheFields() {
        // A v2 document may have changed a field's type; the version error comes first, not a type error.
        String json = "{\"apiVersion\":\"distillation.dev/stagejob/v7\",\"training\":\"cosine-v2\"}";
        assertThatThrownBy(() -> StageJobCodec.read(json)).hasMessageContaining("'distillation.dev/stagejob/v7' is newer");
        assertThatThrownBy(() -> StageJobCodec.read("{\"chain\":\"c\"}")).hasMessageContaining("'apiVersion': missing");
        assertThatThrownBy(() -> StageJobCodec.read("[1, 2]")).hasMessageContaining("expected an object");
    }

    @Test
    void badEnumValueNamesFieldAndChoices() {
        String json = StageJobCodec.write(job()).replace("\"optimizer\":\"sgd\"", "\"optimizer\":\"rmsprop\"");
        assertThatThrownBy(() -> StageJobCodec.read(json))
                .hasMessageContaining("'training.optimizer'")
                .hasMessageContaining("sgd, adam");
    }

    @Test
    void missingResolvedHyperparameterIsRejected() {
        String json = StageJobCodec.write(job()).replace("\"alpha\":0.9,", "");
        assertThatThrownBy(() -> StageJobCodec.read(json))
                .isInstanceOf(InvalidStageJobException.class)
                .hasMessageContaining("'training.alpha'").hasMessageContaining("missing");
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertThatThrownBy(() -> StageJobCodec.read(StageJobCodec.write(job()).replace("\"learningRate\":0.1", "\"learningRate\":-1")))
                .hasMessageContaining("'training.learningRate'").hasMessageContaining("got -1");
        assertThatThrownBy(() -> StageJobCodec.read(StageJobCodec.write(job()).replace("\"depth\":4", "\"depth\":5")))
                .hasMessageContaining("'model.depth'").hasMessageContaining("[2, 4, 6, 8, 10]");
        assertThatThrownBy(() -> StageJobCodec.read(StageJobCodec.write(job()).replace(StageJob.API_VERSION, "v0")))
                .hasMessageContaining("'apiVersion'").hasMessageContaining("expected 'distillation.dev/stagejob/v1'");
        assertThatThrownBy(() -> StageJobCodec.read(StageJobCodec.write(job()).replace("\"width\":1.0", "\"width\":0.0")))
                .hasMessageContaining("'model.width'").hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> StageJobCodec.read(StageJobCodec.write(job()).replace("\"format\":\"idx\"", "\"format\":\"cifar10\"")))
                .hasMessageContaining("'dataset.format'");
    }

    static StageJob torchscriptJob() {
        StageJob j = job();
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), new StageJobModel(Architecture.TORCHSCRIPT, null, null,
                "/model/nets/small.pt", new StageJobInput(1, 28, 28, java.util.List.of(0.5), java.util.List.of(0.25)), 10),
                j.training(), j.dataset(), null, null, j.outputDir(), null);
    }

    @Test
    void aTorchScriptModelRoundTripsWithItsDeclaration() throws Exception {
        String json = StageJobCodec.write(torchscriptJob());
        assertThat(json).doesNotContain("depth").doesNotContain("\"width\":1.0");
        StageJob back = StageJobCodec.read(json);
        assertThat(back.model()).isEqualTo(torchscriptJob().model());
        assertThat(back.model().getInput().getStd()).containsExactly(0.25);
    }

    @Test
    void aTorchScriptModelMustDeclareItsInputAndClassesAndNameItsFileOnce() {
        String json = StageJobCodec.write(torchscriptJob());
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"classes\":10", "\"classes\":1")))
                .hasMessageContaining("'model.classes'").hasMessageContaining("got 1");
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"channels\":1,", "")))
                .hasMessageContaining("'model.input.channels'").hasMessageContaining("missing");
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"std\":[0.25]", "\"std\":[0.0]")))
                .hasMessageContaining("'model.input'").hasMessageContaining("std greater than 0");
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"torchscript\":\"/model/nets/small.pt\",", "")))
                .hasMessageContaining("'model.torchscript'").hasMessageContaining("got neither");
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"outputDir\"", "\"pretrainedDir\":\"/pretrained\",\"outputDir\"")))
                .hasMessageContaining("'model.torchscript'").hasMessageContaining("got both");
    }

    @Test
    void aValidationSplitRoundTripsAndIsChecked() throws Exception {
        StageJob withSplit = new StageJob(StageJob.API_VERSION, "c", "teacher", "sha256:abc", new StageJobModel(Architecture.PLAIN_CNN, 4, null),
                StageJobTraining.of(TrainingSpec.DEFAULTS), new StageJob.DatasetLocation("fashion-mnist", "idx", null), null, null,
                "/output", null, new StageJob.Validation(5000, 7L));
        String json = StageJobCodec.write(withSplit);

        assertThat(StageJobCodec.read(json).validation()).isEqualTo(new StageJob.Validation(5000, 7L));
        assertThat(StageJobCodec.write(job())).doesNotContain("validation");
        assertThat(StageJobCodec.read(StageJobCodec.write(job())).validation()).isNull();
        assertThat(withSplit.withMaxTrainSamples(10).validation()).as("a smoke limit keeps the split").isEqualTo(withSplit.validation());
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"size\":5000", "\"size\":0")))
                .hasMessageContaining("'validation.size'").hasMessageContaining("got 0");
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"seed\":7", "\"seed\":-7")))
                .hasMessageContaining("'validation.seed'").hasMessageContaining("got -7");
        assertThatThrownBy(() -> StageJobCodec.read(json.replace("\"size\":5000,", "")))
                .hasMessageContaining("'validation.size': missing");
    }

    @Test
    void wrongTypeAndBrokenJson() {
        assertThatThrownBy(() -> StageJobCodec.read(StageJobCodec.write(job()).replace("\"epochs\":30", "\"epochs\":\"many\"")))
                .hasMessageContaining("'training.epochs'");
        assertThatThrownBy(() -> StageJobCodec.read("{\"apiVersion\": "))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void readsFileAndNamesMissingFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("stage.json");
        Files.writeString(f, StageJobCodec.write(job()));
        assertThat(StageJobCodec.read(f).stage()).isEqualTo("teacher");
        assertThatThrownBy(() -> StageJobCodec.read(dir.resolve("nope.json")))
                .hasMessageContaining("nope.json").hasMessageContaining("does not exist");
    }
}
