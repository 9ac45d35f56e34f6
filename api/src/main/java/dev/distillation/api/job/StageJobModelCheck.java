package dev.distillation.api.job;

import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.InputSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.validation.Range;
import dev.distillation.api.validation.SpecField;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The rules a StageJob's {@link StageJobModel} must meet, each failure naming its field ({@link StageJobCodec}). */
final class StageJobModelCheck {

    private static final SpecField WIDTH = SpecField.of(ModelSpec.class, "width");

    private StageJobModelCheck() {}

    static void validate(StageJobModel model) throws InvalidStageJobException {
        if (model == null) {
            throw new InvalidStageJobException("model", "missing; expected {architecture, depth}");
        }
        Architecture arch = model.getArchitecture();
        if (arch == null) {
            throw new InvalidStageJobException("model.architecture", "missing; expected one of "
                    + Arrays.stream(Architecture.values()).map(Architecture::value).collect(Collectors.joining(", ")));
        }
        if (arch == Architecture.TORCHSCRIPT) {
            validateTorchScript(model);
            return;
        }
        if (model.getDepth() == null) {
            throw new InvalidStageJobException("model.depth", "missing; expected one of " + arch.depths());
        }
        if (!arch.supportsDepth(model.getDepth())) {
            throw new InvalidStageJobException("model.depth", arch + " supports depths " + arch.depths() + ", got " + model.getDepth());
        }
        StageJobCodec.checkRange("model.width", model.getWidth(), WIDTH.range());
    }

    /** A TorchScript network brings its own layers: no depth or width, but its declared input and classes. */
    private static void validateTorchScript(StageJobModel model) throws InvalidStageJobException {
        if (model.getDepth() != null || model.getWidth() != null) {
            throw new InvalidStageJobException(model.getDepth() != null ? "model.depth" : "model.width",
                    "applies to plain-cnn and resnet, not to a torchscript model");
        }
        if (model.getTorchscript() != null && model.getTorchscript().isBlank()) {
            throw new InvalidStageJobException("model.torchscript", "is empty; expected the TorchScript file the stage trains");
        }
        StageJobInput input = model.getInput();
        if (input == null) {
            throw new InvalidStageJobException("model.input", "missing; a torchscript model declares {channels, height, width}");
        }
        for (String name : new String[] {"channels", "height", "width"}) {
            Object value = SpecField.of(StageJobInput.class, name).get(input);
            Range range = SpecField.of(InputSpec.class, name).range();
            if (value == null) {
                throw new InvalidStageJobException("model.input." + name, "missing; expected " + StageJobCodec.expected(Integer.class, range));
            }
            StageJobCodec.checkRange("model.input." + name, value, range);
        }
        if ((input.getMean() == null) != (input.getStd() == null)) {
            throw new InvalidStageJobException("model.input", InputSpec.MEAN_STD_MESSAGE);
        }
        if (input.getMean() != null) {
            if (input.getMean().size() != input.getChannels() || input.getStd().size() != input.getChannels()) {
                throw new InvalidStageJobException("model.input", "mean and std need one value per channel (" + input.getChannels()
                        + "), got " + input.getMean().size() + " and " + input.getStd().size());
            }
            if (input.getStd().stream().anyMatch(v -> v == null || !(v > 0)) || input.getMean().stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
                throw new InvalidStageJobException("model.input", "mean must be finite and std greater than 0, got mean "
                        + input.getMean() + ", std " + input.getStd());
            }
        }
        Range classes = SpecField.of(ModelSpec.class, "classes").range();
        if (model.getClasses() == null) {
            throw new InvalidStageJobException("model.classes", "missing; expected " + StageJobCodec.expected(Integer.class, classes));
        }
        StageJobCodec.checkRange("model.classes", model.getClasses(), classes);
    }

}
