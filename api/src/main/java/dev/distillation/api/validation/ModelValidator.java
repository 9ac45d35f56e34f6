package dev.distillation.api.validation;

import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.BuiltinDataset;
import dev.distillation.api.v1alpha1.InputSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import java.util.function.BiConsumer;

/**
 * The rules of a stage's {@code model} (and of the stage fields that depend on it): the same as the
 * CRD's schema and CEL, with the same messages, plus what only the whole chain tells: a torchscript
 * model's declared input and classes against a builtin dataset's images.
 */
final class ModelValidator {

    private static final SpecField WIDTH = SpecField.of(ModelSpec.class, "width");
    private static final SpecField CLASSES = SpecField.of(ModelSpec.class, "classes");

    private final BiConsumer<String, String> error;
    private final FieldChecks checks;

    ModelValidator(BiConsumer<String, String> error, FieldChecks checks) {
        this.error = error;
        this.checks = checks;
    }

    /** {@code path} is the stage's ({@code spec.stages[i]}); {@code builtin} is the chain's builtin dataset, or null. */
    void stage(String path, StageSpec stage, BuiltinDataset builtin) {
        ModelSpec model = stage.getModel();
        if (model == null) {
            error.accept(path + ".model", "required");
            return;
        }
        String m = path + ".model";
        Architecture architecture = model.getArchitecture();
        if (architecture == null) {
            error.accept(m + ".architecture", "required: plain-cnn, resnet or torchscript");
        } else if (architecture.builtin()) {
            builtin(m, model);
        } else {
            torchscript(path, stage, builtin);
        }
        // depth has a rule per architecture (above); width and classes have plain bounds
        checks.bound(m, model, WIDTH);
        checks.bound(m, model, CLASSES);
        if (stage.getPretrained() != null && stage.getTeacher() != null) {
            error.accept(path + ".pretrained", StageSpec.PRETRAINED_TEACHER_MESSAGE);
        }
    }

    private void builtin(String m, ModelSpec model) {
        if (model.getDepth() == null) {
            error.accept(m + ".depth", ModelSpec.DEPTH_REQUIRED_MESSAGE);
        } else if (!model.getArchitecture().supportsDepth(model.getDepth())) {
            error.accept(m + ".depth", (model.getArchitecture() == Architecture.RESNET ? ModelSpec.RESNET_DEPTH_MESSAGE
                    : ModelSpec.PLAIN_CNN_DEPTH_MESSAGE) + " (found " + model.getDepth() + ")");
        }
        if (model.getTorchscript() != null || model.getInput() != null || model.getClasses() != null) {
            error.accept(m, ModelSpec.TORCHSCRIPT_ONLY_MESSAGE);
        }
    }

    private void torchscript(String path, StageSpec stage, BuiltinDataset builtin) {
        ModelSpec model = stage.getModel();
        String m = path + ".model";
        if (model.getDepth() != null || model.getWidth() != null) {
            error.accept(m, ModelSpec.BUILTIN_ONLY_MESSAGE);
        }
        if ((model.getTorchscript() == null) == (stage.getPretrained() == null)) {
            error.accept(m + ".torchscript", StageSpec.TORCHSCRIPT_SOURCE_MESSAGE);
        }
        if (model.getTorchscript() != null) {
            checks.claimName(m + ".torchscript.claimName", model.getTorchscript().getClaimName());
            if (model.getTorchscript().getPath() == null) {
                error.accept(m + ".torchscript.path", "required: the TorchScript file's path inside the volume");
            }
            checks.absolutePath(m + ".torchscript.path", model.getTorchscript().getPath());
        }
        InputSpec input = model.getInput();
        if (input == null || model.getClasses() == null) {
            error.accept(input == null ? m + ".input" : m + ".classes", ModelSpec.TORCHSCRIPT_DECLARATION_MESSAGE);
        }
        if (input != null) {
            input(m + ".input", input);
        }
        if (builtin != null) {
            againstBuiltin(m, input, model.getClasses(), builtin);
        }
    }

    private void input(String path, InputSpec input) {
        for (String required : new String[] {"channels", "height", "width"}) {
            if (SpecField.of(InputSpec.class, required).get(input) == null) {
                error.accept(path + "." + required, "required");
            }
        }
        checks.bounds(path, InputSpec.class, input);
        if ((input.getMean() == null) != (input.getStd() == null)) {
            error.accept(path, InputSpec.MEAN_STD_MESSAGE);
        }
        if (input.getChannels() != null && input.getMean() != null && input.getMean().size() != input.getChannels()) {
            error.accept(path + ".mean", InputSpec.MEAN_SIZE_MESSAGE + " (" + input.getChannels() + ", found " + input.getMean().size() + ")");
        }
        if (input.getChannels() != null && input.getStd() != null && input.getStd().size() != input.getChannels()) {
            error.accept(path + ".std", InputSpec.STD_SIZE_MESSAGE + " (" + input.getChannels() + ", found " + input.getStd().size() + ")");
        }
        if (input.getStd() != null && input.getStd().stream().anyMatch(s -> s == null || !(s > 0))) {
            error.accept(path + ".std", InputSpec.STD_POSITIVE_MESSAGE + " (found " + input.getStd() + ")");
        }
    }

    /** A builtin dataset's images are known before any file is read: a model that cannot take them is refused at once. */
    private void againstBuiltin(String m, InputSpec input, Integer classes, BuiltinDataset builtin) {
        if (input != null && input.getChannels() != null && input.getHeight() != null && input.getWidth() != null
                && (input.getChannels() != builtin.channels() || input.getHeight() != builtin.height()
                || input.getWidth() != builtin.width())) {
            error.accept(m + ".input", "the model expects " + input.getChannels() + "x" + input.getHeight() + "x" + input.getWidth()
                    + " images (channels x height x width) but dataset " + builtin + " has " + builtin.channels() + "x"
                    + builtin.height() + "x" + builtin.width());
        }
        if (classes != null && classes != builtin.classes()) {
            error.accept(m + ".classes", "the model outputs " + classes + " classes but dataset " + builtin + " has " + builtin.classes());
        }
    }
}
