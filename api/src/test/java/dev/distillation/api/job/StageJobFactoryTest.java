package dev.distillation.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.Fixtures;
import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.LearningRateSchedule;
import dev.distillation.api.v1alpha1.Optimizer;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class StageJobFactoryTest {

    // ---- training resolution: stage > chain > DEFAULTS ----------------------------------------

    @Test
    void stageValueWinsOverChainValueWhichWinsOverDefault() {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        spec.getTraining().setTemperature(3.0);   // chain sets it; DEFAULTS say 4.0
        spec.getTraining().setLrSchedule(null);   // nobody sets it
        StageSpec student = stage(spec, "student"); // sets epochs: 40 (chain: 30)
        student.getTraining().setAlpha(0.5);

        TrainingSpec resolved = spec.resolvedTraining(student);

        assertThat(resolved.getEpochs()).as("stage").isEqualTo(40);
        assertThat(resolved.getAlpha()).as("stage").isEqualTo(0.5);
        assertThat(resolved.getTemperature()).as("chain").isEqualTo(3.0);
        assertThat(resolved.getBatchSize()).as("chain").isEqualTo(128);
        assertThat(resolved.getLrSchedule()).as("default").isEqualTo(LearningRateSchedule.COSINE);
        assertThat(resolved.getLrStepEpochs()).as("default").isEqualTo(10);
        assertThat(resolved.getAugment()).as("default").isFalse();
    }

    static Stream<Arguments> precedence() {
        // stage value, chain value, resolved epochs
        return Stream.of(
                Arguments.of(7, 9, 7),
                Arguments.of(null, 9, 9),
                Arguments.of(7, null, 7),
                Arguments.of(null, null, TrainingSpec.DEFAULTS.getEpochs()));
    }

    @ParameterizedTest(name = "stage {0}, chain {1} -> {2}")
    @MethodSource("precedence")
    void precedenceTable(Integer stageEpochs, Integer chainEpochs, int resolved) {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        spec.getTraining().setEpochs(chainEpochs);
        StageSpec student = stage(spec, "student");
        student.getTraining().setEpochs(stageEpochs);
        assertThat(spec.resolvedTraining(student).getEpochs()).isEqualTo(resolved);
    }

    @Test
    void withNoTrainingAnywhereEveryFieldComesFromTheDefaults() {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        spec.setTraining(null);
        StageSpec alone = stage(spec, "student-alone");
        TrainingSpec resolved = spec.resolvedTraining(alone);
        assertThat(resolved).usingRecursiveComparison().isEqualTo(TrainingSpec.DEFAULTS);
        assertThat(resolved).isNotSameAs(TrainingSpec.DEFAULTS);
        assertThat(resolved).hasNoNullFieldsOrProperties();
    }

    @Test
    void resolvingChangesNeitherTheSpecNorTheDefaults() {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        StageSpec student = stage(spec, "student");
        spec.resolvedTraining(student).setEpochs(1);
        assertThat(student.getTraining().getEpochs()).isEqualTo(40);
        assertThat(student.getTraining().getAlpha()).isNull();
        assertThat(spec.getTraining().getEpochs()).isEqualTo(30);
        assertThat(TrainingSpec.DEFAULTS.getEpochs()).isEqualTo(30);
        assertThat(TrainingSpec.DEFAULTS.getOptimizer()).isEqualTo(Optimizer.SGD);
    }

    // ---- paths and dataset location -----------------------------------------------------------

    @Test
    void podPathsForABuiltinDataset() {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        StageJobFactory.Paths paths = StageJobFactory.Paths.inPod(spec, stage(spec, "student"));
        assertThat(paths).isEqualTo(new StageJobFactory.Paths("/teacher", "/output", null, null));
    }

    @Test
    void podPathsForAVolumeDatasetAndAPretrainedCheckpoint() {
        DistillationChainSpec spec = Fixtures.cifar10Resnet().getSpec();
        assertThat(StageJobFactory.Paths.inPod(spec, stage(spec, "teacher")))
                .isEqualTo(new StageJobFactory.Paths("/teacher", "/output", "/data/cifar-10-batches-bin", "/pretrained/cifar10"));
        assertThat(StageJobFactory.Paths.inPod(spec, stage(spec, "student")).pretrainedDir()).isNull();
    }

    @ParameterizedTest(name = "volume path {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "null, /data",
            "/, /data",
            "/cifar, /data/cifar",
            "/cifar/, /data/cifar",
            "/a/b/c, /data/a/b/c"})
    void volumePathsAreJoinedUnderTheMount(String path, String inPod) {
        DistillationChainSpec spec = Fixtures.cifar10Resnet().getSpec();
        spec.getDataset().getVolume().setPath(path);
        stage(spec, "teacher").getPretrained().setPath(path);
        StageJobFactory.Paths paths = StageJobFactory.Paths.inPod(spec, stage(spec, "teacher"));
        assertThat(paths.dataDir()).isEqualTo(inPod);
        assertThat(paths.pretrainedDir()).isEqualTo(inPod.replace("/data", "/pretrained"));
    }

    @Test
    void datasetLocation() {
        assertThat(StageJobFactory.datasetLocation(Fixtures.fashionTakd().getSpec().getDataset(), "/ignored"))
                .isEqualTo(new StageJob.DatasetLocation("fashion-mnist", "idx", null));
        assertThat(StageJobFactory.datasetLocation(Fixtures.cifar10Resnet().getSpec().getDataset(), "/data/cifar"))
                .isEqualTo(new StageJob.DatasetLocation(null, "cifar10", "/data/cifar"));
    }

    // ---- the StageJob ------------------------------------------------------------------------

    @Test
    void jobForAStudentInAPod() {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        String fingerprint = Fingerprints.of(spec).get("student");
        StageJob job = StageJobFactory.create(spec, "fashion-takd", "student", fingerprint,
                StageJobFactory.Paths.inPod(spec, stage(spec, "student")));

        assertThat(job.apiVersion()).isEqualTo("distillation.dev/stagejob/v1").isEqualTo(StageJob.API_VERSION);
        assertThat(job.chain()).isEqualTo("fashion-takd");
        assertThat(job.stage()).isEqualTo("student");
        assertThat(job.fingerprint()).isEqualTo(fingerprint);
        assertThat(job.model().getDepth()).isEqualTo(2);
        assertThat(job.training().getEpochs()).isEqualTo(40);
        assertThat(job.training()).hasNoNullFieldsOrProperties();
        assertThat(job.dataset()).isEqualTo(new StageJob.DatasetLocation("fashion-mnist", "idx", null));
        assertThat(job.teacherDir()).isEqualTo("/teacher");
        assertThat(job.pretrainedDir()).isNull();
        assertThat(job.outputDir()).isEqualTo("/output");
        assertThat(job.maxTrainSamples()).isNull();
        assertThat(job.withMaxTrainSamples(512).maxTrainSamples()).isEqualTo(512);
    }

    @Test
    void everyStageOfAChainGetsTheChainsValidationSplitWithItsSeedResolved() {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        assertThat(StageJobFactory.create(spec, "c", "student", "sha256:x", StageJobFactory.Paths.inPod(spec, stage(spec, "student")))
                .validation()).as("no split in the spec: none in the job").isNull();

        spec.getDataset().setValidation(new ValidationSplit(5000, null));
        for (StageSpec stage : spec.getStages()) {
            StageJob job = StageJobFactory.create(spec, "c", stage.getName(), "sha256:x", StageJobFactory.Paths.inPod(spec, stage));
            assertThat(job.validation()).as(stage.getName()).isEqualTo(new StageJob.Validation(5000, 1L));
        }
    }

    @Test
    void stagesWithoutTeacherGetNoTeacherDirAndPretrainedStagesGetTheirCheckpoint() {
        DistillationChainSpec spec = Fixtures.cifar10Resnet().getSpec();
        StageJobFactory.Paths local = new StageJobFactory.Paths("runs/c/assistant", "runs/c/student", "/srv/cifar", "/srv/weights");

        StageJob teacher = StageJobFactory.create(spec, "c", "teacher", "sha256:t", local);
        assertThat(teacher.teacherDir()).isNull();
        assertThat(teacher.pretrainedDir()).isEqualTo("/srv/weights");
        assertThat(teacher.dataset()).isEqualTo(new StageJob.DatasetLocation(null, "cifar10", "/srv/cifar"));

        StageJob student = StageJobFactory.create(spec, "c", "student", "sha256:s", local);
        assertThat(student.teacherDir()).isEqualTo("runs/c/assistant");
        assertThat(student.pretrainedDir()).isNull();
        assertThat(student.outputDir()).isEqualTo("runs/c/student");
        assertThat(student.training().getOptimizer()).isEqualTo(Optimizer.ADAM);
        assertThat(student.training().getLrSchedule()).isEqualTo(LearningRateSchedule.STEP);
    }

    @Test
    void jsonUsesWireNamesOmitsNullsAndReadsBack() throws Exception {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        StageJob job = StageJobFactory.create(spec, "fashion-takd", "student-alone", "sha256:x",
                StageJobFactory.Paths.inPod(spec, stage(spec, "student-alone")));
        ObjectMapper mapper = new ObjectMapper();

        String json = mapper.writeValueAsString(job);
        JsonNode tree = mapper.readTree(json);
        assertThat(tree.get("apiVersion").asText()).isEqualTo(StageJob.API_VERSION);
        assertThat(tree.at("/model/architecture").asText()).isEqualTo("plain-cnn");
        assertThat(tree.at("/training/optimizer").asText()).isEqualTo("sgd");
        assertThat(tree.at("/training/lrSchedule").asText()).isEqualTo("cosine");
        assertThat(tree.at("/dataset/builtin").asText()).isEqualTo("fashion-mnist");
        assertThat(tree.has("teacherDir")).isFalse();
        assertThat(tree.has("maxTrainSamples")).isFalse();
        assertThat(json).doesNotContain("null");

        StageJob read = mapper.readValue(json, StageJob.class);
        assertThat(read).usingRecursiveComparison().isEqualTo(job);
    }

    static StageSpec stage(DistillationChainSpec spec, String name) {
        return spec.getStages().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}
