package dev.distillation.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.data.Normalization;
import java.util.Arrays;
import java.util.List;

/**
 * model.json: what a model.params file holds, enough to rebuild the network and feed it data.
 *
 * @param format        version of this file's layout (1)
 * @param architecture  plain-cnn, resnet or torchscript (the network is then model.pt, a TorchScript file)
 * @param depth         the architecture's depth (0 for torchscript)
 * @param width         channel-width multiplier (0 for torchscript)
 * @param classes       output classes
 * @param inputShape    [channels, height, width]
 * @param normalization per-channel mean and standard deviation (pixel/255 scale) the model was trained with
 * @param dataset       name of the dataset it was trained on
 * @param parameters    trainable parameter count
 * @param chain         chain that produced it
 * @param stage         stage that produced it
 * @param fingerprint   that stage's fingerprint
 * @param engine        engine and versions, e.g. "PyTorch 2.5.1 (DJL 0.33.0)"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelInfo(int format, String architecture, int depth, double width, int classes, List<Long> inputShape,
                        NormalizationJson normalization, String dataset, long parameters, String chain, String stage,
                        String fingerprint, String engine) {

    public static final int FORMAT = 1;

    /** The normalisation in model.json. */
    public record NormalizationJson(List<Double> mean, List<Double> std) {}

    /** The description of the network {@code job} trains on {@code data}, fed with normalisation {@code n}. */
    static ModelInfo of(StageJob job, Dataset data, Normalization n, long parameters) {
        boolean builtin = job.model().getArchitecture().builtin();
        return new ModelInfo(FORMAT, job.model().getArchitecture().value(), builtin ? job.model().getDepth() : 0,
                builtin ? job.model().getWidth() : 0, data.classes(), Arrays.stream(data.inputShape()).boxed().toList(),
                new NormalizationJson(Arrays.stream(n.mean()).boxed().toList(), Arrays.stream(n.std()).boxed().toList()),
                data.name(), parameters, job.chain(), job.stage(), job.fingerprint(), Engines.description());
    }

    /** The same network, recorded as the output of {@code job}'s stage. */
    ModelInfo forStage(StageJob job) {
        return new ModelInfo(format, architecture, depth, width, classes, inputShape, normalization, dataset, parameters,
                job.chain(), job.stage(), job.fingerprint(), engine);
    }

    /** Whether the network is a TorchScript file (model.pt) rather than one the trainer builds (model.params). */
    public boolean torchscript() {
        return Architecture.TORCHSCRIPT.value().equals(architecture);
    }

    /** "plain-cnn-10", "resnet-20 x0.5", "torchscript". */
    public String network() {
        return torchscript() ? architecture : architecture + "-" + depth + (width == 1.0 ? "" : " x" + width);
    }

    public long[] inputShapeArray() {
        return inputShape.stream().mapToLong(Long::longValue).toArray();
    }

    public Normalization normalizationValue() {
        return new Normalization(
                normalization.mean().stream().mapToDouble(Double::doubleValue).toArray(),
                normalization.std().stream().mapToDouble(Double::doubleValue).toArray());
    }
}
