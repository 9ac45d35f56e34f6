package dev.distillation.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.Fixtures;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.InputSpec;
import dev.distillation.api.v1alpha1.PretrainedSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.api.v1alpha1.VolumeDataset;
import dev.distillation.api.v1alpha1.DatasetFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule of {@link ChainValidator}, as edits of a valid example chain: the edit must yield
 * exactly one error, at the given field path, whose message contains the given text.
 */
class ChainValidatorTest {

    // fashion-takd.yaml: 0 teacher, 1 assistant (teacher), 2 student (assistant, training: epochs 40),
    // 3 student-direct (teacher), 4 student-alone (no teacher)
    private static final int STUDENT = 2;
    private static final int ALONE = 4;

    @Test
    void exampleChainsAreValid() {
        assertThat(ChainValidator.validate(Fixtures.fashionTakd())).isEmpty();
        assertThat(ChainValidator.validate(Fixtures.cifar10Resnet())).isEmpty();
    }

    @Test
    void minimalChainIsValid() {
        DistillationChain chain = Fixtures.fashionTakd();
        chain.getSpec().setTrainer(null);
        chain.getSpec().setStorage(null);
        chain.getSpec().setTraining(null);
        chain.getSpec().setParallelism(null);
        chain.getSpec().setBackoffLimit(null);
        chain.getSpec().setSuspend(null);
        chain.getSpec().setStages(List.of(stage("only", Architecture.PLAIN_CNN, 2, null)));
        assertThat(ChainValidator.validate(chain)).isEmpty();
    }

    @Test
    void reportsEveryErrorInFieldOrder() {
        DistillationChain chain = Fixtures.fashionTakd();
        chain.getSpec().setParallelism(0);
        chain.getSpec().getStages().get(STUDENT).getModel().setDepth(3);
        chain.getSpec().getStages().get(ALONE).setTeacher("nobody");

        assertThat(ChainValidator.validate(chain)).extracting(ValidationError::toString).containsExactly(
                "spec.parallelism: must be between 1 and 32 (found 0)",
                "spec.stages[2].model.depth: plain-cnn depth must be one of 2, 4, 6, 8, 10 (found 3)",
                "spec.stages[4].teacher: every stage's teacher must name a stage of this chain: no stage is named 'nobody'");
    }

    // ---- chain-level rules -------------------------------------------------------------------

    static Stream<Arguments> chainErrors() {
        return Stream.of(
                error("no metadata.name", c -> c.getMetadata().setName(null), "metadata.name", "required"),
                error("chain name of 37 characters", c -> c.getMetadata().setName("a".repeat(37)),
                        "metadata.name", "must be at most 36 characters, so that the names of its stage Pods and volumes stay valid (found 37)"),
                error("upper-case chain name", c -> c.getMetadata().setName("Fashion"), "metadata.name", "must be a DNS label"),
                error("dotted chain name", c -> c.getMetadata().setName("fashion.takd"), "metadata.name", "must be a DNS label"),
                error("chain name ending in '-'", c -> c.getMetadata().setName("fashion-"), "metadata.name", "must be a DNS label"),
                error("no spec", c -> c.setSpec(null), "spec", "required"),

                error("no dataset", c -> c.getSpec().setDataset(null), "spec.dataset", "required: set 'builtin' (e.g. fashion-mnist) or 'volume'"),
                error("dataset with neither source", c -> c.getSpec().getDataset().setBuiltin(null),
                        "spec.dataset", "dataset needs exactly one source: either 'builtin' or 'volume'"),
                error("dataset with both sources", c -> c.getSpec().getDataset().setVolume(volume("data", "/", DatasetFormat.IDX)),
                        "spec.dataset", "dataset needs exactly one source: either 'builtin' or 'volume'"),
                error("validation split without size", c -> c.getSpec().getDataset().setValidation(new ValidationSplit(null, 3L)),
                        "spec.dataset.validation.size", "required: how many training images to hold out (e.g. 5000)"),
                error("validation split of 0 images", c -> c.getSpec().getDataset().setValidation(new ValidationSplit(0, null)),
                        "spec.dataset.validation.size", "must be between 1 and 1000000 (found 0)"),
                error("validation seed -1", c -> c.getSpec().getDataset().setValidation(new ValidationSplit(5000, -1L)),
                        "spec.dataset.validation.seed", "must be at least 0 (found -1)"),

                error("parallelism 0", c -> c.getSpec().setParallelism(0), "spec.parallelism", "must be between 1 and 32 (found 0)"),
                error("parallelism 33", c -> c.getSpec().setParallelism(33), "spec.parallelism", "must be between 1 and 32 (found 33)"),
                error("backoffLimit -1", c -> c.getSpec().setBackoffLimit(-1), "spec.backoffLimit", "must be between 0 and 10 (found -1)"),
                error("backoffLimit 11", c -> c.getSpec().setBackoffLimit(11), "spec.backoffLimit", "must be between 0 and 10 (found 11)"),
                error("gpu -1", c -> c.getSpec().getTrainer().getResources().setGpu(-1),
                        "spec.trainer.resources.gpu", "must be between 0 and 16 (found -1)"),
                error("gpu 17", c -> c.getSpec().getTrainer().getResources().setGpu(17),
                        "spec.trainer.resources.gpu", "must be between 0 and 16 (found 17)"),

                error("no stages", c -> c.getSpec().setStages(new ArrayList<>()), "spec.stages", "at least one stage is required"),
                error("null stages", c -> c.getSpec().setStages(null), "spec.stages", "at least one stage is required"),
                error("33 stages", c -> c.getSpec().setStages(independentStages(33)), "spec.stages",
                        "at most 32 stages are allowed (found 33)"));
    }

    static Stream<Arguments> chainEdges() {
        return Stream.of(
                valid("chain name of 36 characters", c -> c.getMetadata().setName("a".repeat(36))),
                valid("chain name with digits and '-'", c -> c.getMetadata().setName("0-fashion-1")),
                valid("volume dataset instead of builtin", c -> {
                    c.getSpec().getDataset().setBuiltin(null);
                    c.getSpec().getDataset().setVolume(volume("fashion.data", "/", DatasetFormat.IDX));
                }),
                valid("volume dataset without path", c -> {
                    c.getSpec().getDataset().setBuiltin(null);
                    c.getSpec().getDataset().setVolume(volume("data", null, DatasetFormat.IMAGE_FOLDER));
                }),
                valid("validation split of 1 image, default seed", c -> c.getSpec().getDataset().setValidation(new ValidationSplit(1, null))),
                valid("validation split with seed 0", c -> c.getSpec().getDataset().setValidation(new ValidationSplit(5000, 0L))),
                valid("parallelism 1", c -> c.getSpec().setParallelism(1)),
                valid("parallelism 32", c -> c.getSpec().setParallelism(32)),
                valid("backoffLimit 0", c -> c.getSpec().setBackoffLimit(0)),
                valid("backoffLimit 10", c -> c.getSpec().setBackoffLimit(10)),
                valid("gpu 0", c -> c.getSpec().getTrainer().getResources().setGpu(0)),
                valid("gpu 16", c -> c.getSpec().getTrainer().getResources().setGpu(16)),
                valid("trainer without resources", c -> c.getSpec().getTrainer().setResources(null)),
                valid("resources without gpu", c -> c.getSpec().getTrainer().setResources(new ResourcesSpec())),
                valid("32 stages", c -> c.getSpec().setStages(independentStages(32))),
                valid("one stage", c -> c.getSpec().setStages(independentStages(1))));
    }

    // ---- stage rules -------------------------------------------------------------------------

    static Stream<Arguments> stageErrors() {
        return Stream.of(
                error("null stage", c -> c.getSpec().getStages().set(ALONE, null), "spec.stages[4]", "must be a stage object"),
                error("stage without name", c -> stageAt(c, ALONE).setName(null), "spec.stages[4].name", "required"),
                error("stage with empty name", c -> stageAt(c, ALONE).setName(""), "spec.stages[4].name", "required"),
                error("stage name of 21 characters", c -> stageAt(c, ALONE).setName("s".repeat(21)),
                        "spec.stages[4].name", "must be at most 20 characters (found 21)"),
                error("upper-case stage name", c -> stageAt(c, ALONE).setName("Student"), "spec.stages[4].name", "must be a DNS label"),
                error("stage name with '_'", c -> stageAt(c, ALONE).setName("student_alone"), "spec.stages[4].name", "must be a DNS label"),
                error("stage name with '.'", c -> stageAt(c, ALONE).setName("student.alone"), "spec.stages[4].name", "must be a DNS label"),
                error("stage name starting with '-'", c -> stageAt(c, ALONE).setName("-alone"), "spec.stages[4].name", "must be a DNS label"),
                error("duplicate stage name", c -> stageAt(c, ALONE).setName("student"),
                        "spec.stages[4].name", "stage names must be unique: 'student' is also spec.stages[2]"),

                error("unknown teacher", c -> stageAt(c, ALONE).setTeacher("nobody"), "spec.stages[4].teacher",
                        "every stage's teacher must name a stage of this chain: no stage is named 'nobody'"),
                error("teacher listed later", c -> stageAt(c, 1).setTeacher("student"), "spec.stages[1].teacher",
                        "a stage's teacher must be listed before it (stages form a forest: no cycles): 'student' comes later"),
                error("own teacher", c -> stageAt(c, ALONE).setTeacher("student-alone"), "spec.stages[4].teacher",
                        "a stage cannot be its own teacher"),

                error("no model", c -> stageAt(c, ALONE).setModel(null), "spec.stages[4].model", "required"),
                error("no architecture", c -> stageAt(c, ALONE).getModel().setArchitecture(null),
                        "spec.stages[4].model.architecture", "required: plain-cnn, resnet or torchscript"),
                error("torchscript for RGB images on fashion-mnist", c -> Fixtures.torchscript(c, 0).getInput().setChannels(3),
                        "spec.stages[0].model.input", "the model expects 3x28x28 images (channels x height x width) but dataset "
                                + "fashion-mnist has 1x28x28"),
                error("torchscript with 100 classes on fashion-mnist", c -> Fixtures.torchscript(c, 0).setClasses(100),
                        "spec.stages[0].model.classes", "the model outputs 100 classes but dataset fashion-mnist has 10"),
                error("torchscript without classes", c -> Fixtures.torchscript(c, 0).setClasses(null),
                        "spec.stages[0].model.classes", ModelSpec.TORCHSCRIPT_DECLARATION_MESSAGE),
                error("torchscript input without height", c -> Fixtures.torchscript(c, 0).getInput().setHeight(null),
                        "spec.stages[0].model.input.height", "required"),
                error("torchscript with a width multiplier", c -> Fixtures.torchscript(c, 0).setWidth(0.5),
                        "spec.stages[0].model", ModelSpec.BUILTIN_ONLY_MESSAGE),
                error("torchscript file and pretrained", c -> {
                    Fixtures.torchscript(c, 0);
                    PretrainedSpec p = new PretrainedSpec();
                    p.setClaimName("models");
                    stageAt(c, 0).setPretrained(p);
                }, "spec.stages[0].model.torchscript", StageSpec.TORCHSCRIPT_SOURCE_MESSAGE),
                error("torchscript file on a volume with a bad name", c -> Fixtures.torchscript(c, 0).getTorchscript().setClaimName("Models"),
                        "spec.stages[0].model.torchscript.claimName", "is not a valid PersistentVolumeClaim name"),
                error("torchscript file at a relative path", c -> Fixtures.torchscript(c, 0).getTorchscript().setPath("nets/small.pt"),
                        "spec.stages[0].model.torchscript.path", "must be an absolute path"),
                error("torchscript std of 0", c -> {
                    Fixtures.torchscript(c, 0).getInput().setMean(List.of(0.5));
                    stageAt(c, 0).getModel().getInput().setStd(List.of(0.0));
                }, "spec.stages[0].model.input.std", InputSpec.STD_POSITIVE_MESSAGE),
                error("plain-cnn with an input", c -> stageAt(c, ALONE).getModel().setInput(new InputSpec()),
                        "spec.stages[4].model", ModelSpec.TORCHSCRIPT_ONLY_MESSAGE),
                error("no depth", c -> stageAt(c, ALONE).getModel().setDepth(null), "spec.stages[4].model.depth", "required"),
                error("width 0", c -> stageAt(c, ALONE).getModel().setWidth(0.0),
                        "spec.stages[4].model.width", "must be greater than 0 and at most 8 (found 0.0)"),
                error("negative width", c -> stageAt(c, ALONE).getModel().setWidth(-1.0),
                        "spec.stages[4].model.width", "must be greater than 0 and at most 8 (found -1.0)"),
                error("width 8.5", c -> stageAt(c, ALONE).getModel().setWidth(8.5),
                        "spec.stages[4].model.width", "must be greater than 0 and at most 8 (found 8.5)"));
    }

    static Stream<Arguments> stageEdges() {
        return Stream.of(
                valid("stage name of 20 characters", c -> stageAt(c, ALONE).setName("s".repeat(20))),
                valid("torchscript teacher of built-in students", c -> Fixtures.torchscript(c, 0)),
                valid("torchscript student of a built-in teacher", c -> Fixtures.torchscript(c, ALONE)),
                valid("pretrained torchscript teacher", c -> {
                    Fixtures.torchscript(c, 0).setTorchscript(null);
                    PretrainedSpec p = new PretrainedSpec();
                    p.setClaimName("models");
                    p.setPath("/nets/teacher.pt");
                    stageAt(c, 0).setPretrained(p);
                }),
                valid("one-character stage name", c -> stageAt(c, ALONE).setName("s")),
                valid("stage name with digits", c -> stageAt(c, ALONE).setName("ta-1")),
                valid("teacher that is itself a student", c -> stageAt(c, ALONE).setTeacher("student")),
                valid("width just above 0", c -> stageAt(c, ALONE).getModel().setWidth(0.01)),
                valid("width 8", c -> stageAt(c, ALONE).getModel().setWidth(8.0)));
    }

    static Stream<Arguments> volumeErrors() {
        return Stream.of(
                error("volume without claimName", c -> c.getSpec().getDataset().getVolume().setClaimName(null),
                        "spec.dataset.volume.claimName", "required: the name of a PersistentVolumeClaim in the chain's namespace"),
                error("volume with invalid claimName", c -> c.getSpec().getDataset().getVolume().setClaimName("Cifar_Data"),
                        "spec.dataset.volume.claimName", "'Cifar_Data' is not a valid PersistentVolumeClaim name"),
                error("volume with relative path", c -> c.getSpec().getDataset().getVolume().setPath("cifar"),
                        "spec.dataset.volume.path", "must be an absolute path inside the volume, starting with '/' (found 'cifar')"),
                error("volume without format", c -> c.getSpec().getDataset().getVolume().setFormat(null),
                        "spec.dataset.volume.format", "required: one of idx, cifar10, cifar100, image-folder"),
                error("pretrained without claimName", c -> stageAt(c, 0).getPretrained().setClaimName(null),
                        "spec.stages[0].pretrained.claimName", "required: the name of a PersistentVolumeClaim in the chain's namespace"),
                error("pretrained with invalid claimName", c -> stageAt(c, 0).getPretrained().setClaimName("-weights"),
                        "spec.stages[0].pretrained.claimName", "'-weights' is not a valid PersistentVolumeClaim name"),
                error("pretrained with relative path", c -> stageAt(c, 0).getPretrained().setPath("cifar10"),
                        "spec.stages[0].pretrained.path", "must be an absolute path inside the volume, starting with '/' (found 'cifar10')"));
    }

    // ---- training bounds, at the chain level and in a stage's override --------------------------

    static Stream<Arguments> trainingErrors() {
        return Stream.of("spec.training", "spec.stages[2].training").flatMap(at -> Stream.of(
                trainingError(at, "epochs", 0, TrainingSpec::setEpochs, "must be between 1 and 10000 (found 0)"),
                trainingError(at, "epochs", 10001, TrainingSpec::setEpochs, "must be between 1 and 10000 (found 10001)"),
                trainingError(at, "batchSize", 0, TrainingSpec::setBatchSize, "must be between 1 and 65536 (found 0)"),
                trainingError(at, "batchSize", 65537, TrainingSpec::setBatchSize, "must be between 1 and 65536 (found 65537)"),
                trainingError(at, "learningRate", 0.0, TrainingSpec::setLearningRate, "must be greater than 0 and at most 10 (found 0.0)"),
                trainingError(at, "learningRate", -0.1, TrainingSpec::setLearningRate, "must be greater than 0 and at most 10 (found -0.1)"),
                trainingError(at, "learningRate", 10.001, TrainingSpec::setLearningRate, "must be greater than 0 and at most 10 (found 10.001)"),
                trainingError(at, "momentum", -0.001, TrainingSpec::setMomentum, "must be at least 0 and less than 1 (found -0.001)"),
                trainingError(at, "momentum", 1.0, TrainingSpec::setMomentum, "must be at least 0 and less than 1 (found 1.0)"),
                trainingError(at, "weightDecay", -0.001, TrainingSpec::setWeightDecay, "must be between 0 and 1 (found -0.001)"),
                trainingError(at, "weightDecay", 1.001, TrainingSpec::setWeightDecay, "must be between 0 and 1 (found 1.001)"),
                trainingError(at, "lrStepEpochs", 0, TrainingSpec::setLrStepEpochs, "must be at least 1 (found 0)"),
                trainingError(at, "lrGamma", 0.0, TrainingSpec::setLrGamma, "must be greater than 0 and at most 1 (found 0.0)"),
                trainingError(at, "lrGamma", 1.001, TrainingSpec::setLrGamma, "must be greater than 0 and at most 1 (found 1.001)"),
                trainingError(at, "temperature", 0.0, TrainingSpec::setTemperature, "must be greater than 0 and at most 100 (found 0.0)"),
                trainingError(at, "temperature", 100.001, TrainingSpec::setTemperature, "must be greater than 0 and at most 100 (found 100.001)"),
                trainingError(at, "alpha", -0.001, TrainingSpec::setAlpha, "must be between 0 and 1 (found -0.001)"),
                trainingError(at, "alpha", 1.001, TrainingSpec::setAlpha, "must be between 0 and 1 (found 1.001)"),
                trainingError(at, "seed", -1L, TrainingSpec::setSeed, "must be at least 0 (found -1)")));
    }

    static Stream<Arguments> trainingEdges() {
        return Stream.of("spec.training", "spec.stages[2].training").flatMap(at -> Stream.of(
                trainingValid(at, "epochs", 1, TrainingSpec::setEpochs),
                trainingValid(at, "epochs", 10000, TrainingSpec::setEpochs),
                trainingValid(at, "batchSize", 1, TrainingSpec::setBatchSize),
                trainingValid(at, "batchSize", 65536, TrainingSpec::setBatchSize),
                trainingValid(at, "learningRate", 1e-9, TrainingSpec::setLearningRate),
                trainingValid(at, "learningRate", 10.0, TrainingSpec::setLearningRate),
                trainingValid(at, "momentum", 0.0, TrainingSpec::setMomentum),
                trainingValid(at, "momentum", 0.999, TrainingSpec::setMomentum),
                trainingValid(at, "weightDecay", 0.0, TrainingSpec::setWeightDecay),
                trainingValid(at, "weightDecay", 1.0, TrainingSpec::setWeightDecay),
                trainingValid(at, "lrStepEpochs", 1, TrainingSpec::setLrStepEpochs),
                trainingValid(at, "lrGamma", 1e-9, TrainingSpec::setLrGamma),
                trainingValid(at, "lrGamma", 1.0, TrainingSpec::setLrGamma),
                trainingValid(at, "temperature", 1e-9, TrainingSpec::setTemperature),
                trainingValid(at, "temperature", 100.0, TrainingSpec::setTemperature),
                trainingValid(at, "alpha", 0.0, TrainingSpec::setAlpha),
                trainingValid(at, "alpha", 1.0, TrainingSpec::setAlpha),
                trainingValid(at, "seed", 0L, TrainingSpec::setSeed),
                trainingValid(at, "seed", Long.MAX_VALUE, TrainingSpec::setSeed)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"chainErrors", "stageErrors", "trainingErrors"})
    void rejects(Consumer<DistillationChain> edit, String path, String message) {
        testError(Fixtures.fashionTakd(), edit, path, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("volumeErrors")
    void rejectsOnVolumeChain(Consumer<DistillationChain> edit, String path, String message) {
        testError(Fixtures.cifar10Resnet(), edit, path, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"chainEdges", "stageEdges", "trainingEdges"})
    void accepts(Consumer<DistillationChain> edit) {
        DistillationChain chain = Fixtures.fashionTakd();
        edit.accept(chain);
        assertThat(ChainValidator.validate(chain)).isEmpty();
    }

    // ---- depth per architecture --------------------------------------------------------------

    @ParameterizedTest(name = "plain-cnn depth {0}")
    @ValueSource(ints = {2, 4, 6, 8, 10})
    void acceptsPlainCnnDepths(int depth) {
        testValid(c -> setModel(stageAt(c, ALONE), Architecture.PLAIN_CNN, depth));
    }

    @ParameterizedTest(name = "plain-cnn depth {0}")
    @ValueSource(ints = {-2, 0, 1, 3, 5, 7, 9, 11, 12, 14, 20})
    void rejectsOtherPlainCnnDepths(int depth) {
        testError(Fixtures.fashionTakd(), c -> setModel(stageAt(c, ALONE), Architecture.PLAIN_CNN, depth),
                "spec.stages[4].model.depth", "plain-cnn depth must be one of 2, 4, 6, 8, 10 (found " + depth + ")");
    }

    static IntStream resnetDepths() {
        return IntStream.rangeClosed(1, 18).map(n -> 6 * n + 2); // 8, 14, ..., 110
    }

    @ParameterizedTest(name = "resnet depth {0}")
    @MethodSource("resnetDepths")
    void acceptsResnetDepths6nPlus2(int depth) {
        testValid(c -> setModel(stageAt(c, ALONE), Architecture.RESNET, depth));
    }

    @ParameterizedTest(name = "resnet depth {0}")
    @ValueSource(ints = {0, 2, 6, 7, 9, 10, 18, 21, 100, 109, 111, 116, 1202})
    void rejectsOtherResnetDepths(int depth) {
        testError(Fixtures.fashionTakd(), c -> setModel(stageAt(c, ALONE), Architecture.RESNET, depth),
                "spec.stages[4].model.depth", "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...) (found " + depth + ")");
    }

    @Test
    void architecturesKnowTheirDepths() {
        assertThat(Architecture.PLAIN_CNN.depths()).containsExactly(2, 4, 6, 8, 10);
        assertThat(Architecture.RESNET.depths()).startsWith(8, 14, 20, 26, 32).contains(44, 56).endsWith(110);
        assertThat(Architecture.RESNET.depths()).containsExactlyElementsOf(resnetDepths().boxed().toList());
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Applies {@code edit} to {@code chain}: the validator must report exactly one error, at {@code path}, containing {@code message}. */
    static void testError(DistillationChain chain, Consumer<DistillationChain> edit, String path, String message) {
        edit.accept(chain);
        List<ValidationError> errors = ChainValidator.validate(chain);
        assertThat(errors).as("errors").hasSize(1);
        assertThat(errors.get(0).path()).isEqualTo(path);
        assertThat(errors.get(0).message()).contains(message);
    }

    static void testValid(Consumer<DistillationChain> edit) {
        DistillationChain chain = Fixtures.fashionTakd();
        edit.accept(chain);
        assertThat(ChainValidator.validate(chain)).isEmpty();
    }

    static Arguments error(String name, Consumer<DistillationChain> edit, String path, String message) {
        return Arguments.of(Named.of(name, edit), path, message);
    }

    static Arguments valid(String name, Consumer<DistillationChain> edit) {
        return Arguments.of(Named.of(name, edit));
    }

    static <T> Arguments trainingError(String at, String field, T value, BiConsumer<TrainingSpec, T> set, String message) {
        return error(at + "." + field + " = " + value, c -> set.accept(training(c, at), value), at + "." + field, message);
    }

    static <T> Arguments trainingValid(String at, String field, T value, BiConsumer<TrainingSpec, T> set) {
        return valid(at + "." + field + " = " + value, c -> set.accept(training(c, at), value));
    }

    /** The chain's training defaults, or the student's overrides. */
    static TrainingSpec training(DistillationChain chain, String at) {
        if (at.equals("spec.training")) {
            return chain.getSpec().getTraining();
        }
        return stageAt(chain, STUDENT).getTraining();
    }

    static StageSpec stageAt(DistillationChain chain, int index) {
        return chain.getSpec().getStages().get(index);
    }

    static void setModel(StageSpec stage, Architecture architecture, int depth) {
        stage.getModel().setArchitecture(architecture);
        stage.getModel().setDepth(depth);
    }

    static StageSpec stage(String name, Architecture architecture, int depth, String teacher) {
        ModelSpec model = new ModelSpec();
        model.setArchitecture(architecture);
        model.setDepth(depth);
        StageSpec stage = new StageSpec();
        stage.setName(name);
        stage.setModel(model);
        stage.setTeacher(teacher);
        return stage;
    }

    static List<StageSpec> independentStages(int count) {
        return new ArrayList<>(IntStream.range(0, count).mapToObj(i -> stage("s" + i, Architecture.PLAIN_CNN, 2, null)).toList());
    }

    static VolumeDataset volume(String claimName, String path, DatasetFormat format) {
        VolumeDataset volume = new VolumeDataset();
        volume.setClaimName(claimName);
        volume.setPath(path);
        volume.setFormat(format);
        return volume;
    }
}
