package dev.distillation.api.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.api.v1alpha1.ModelSpec;
import java.util.Objects;

/**
 * The network a StageJob trains, as version 1 of the StageJob contract carries it. Its own class
 * rather than the CRD's {@link ModelSpec}, so that the chain's schema can change without changing
 * what a trainer reads. Immutable; a getter per field, as the trainer reads it.
 *
 * <p>A built-in network (plain-cnn, resnet) has a depth and a width. A TorchScript network has
 * neither: it has the file it starts from ({@code torchscript}, as the trainer sees it; null for a
 * pretrained stage, whose file is the job's pretrainedDir), its declared {@code input} and its
 * number of {@code classes}. Those three fields are new in version 1: trainers that predate them
 * refuse the architecture torchscript naming the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StageJobModel {

    private final Architecture architecture;
    private final Integer depth;
    private final Double width;
    private final String torchscript;
    private final StageJobInput input;
    private final Integer classes;

    /**
     * {@code width} may be absent: StageJobs of operator 0.1.0 left out a width the chain did not set
     * (it is then the default for a built-in network, and stays absent for a TorchScript one).
     */
    @JsonCreator
    public StageJobModel(@JsonProperty("architecture") Architecture architecture, @JsonProperty("depth") Integer depth,
                         @JsonProperty("width") Double width, @JsonProperty("torchscript") String torchscript,
                         @JsonProperty("input") StageJobInput input, @JsonProperty("classes") Integer classes) {
        this.architecture = architecture;
        this.depth = depth;
        this.width = width == null && architecture != Architecture.TORCHSCRIPT ? Double.valueOf(Bounds.DEFAULT_WIDTH) : width;
        this.torchscript = torchscript;
        this.input = input;
        this.classes = classes;
    }

    /** A built-in network. */
    public StageJobModel(Architecture architecture, Integer depth, Double width) {
        this(architecture, depth, width, null, null, null);
    }

    /**
     * The model of a chain's stage, every value resolved; {@code torchscriptFile} is where the trainer
     * sees the stage's {@code model.torchscript} file (ignored unless the stage names one).
     */
    public static StageJobModel of(ModelSpec model, String torchscriptFile) {
        if (model.getArchitecture() == Architecture.TORCHSCRIPT) {
            return new StageJobModel(model.getArchitecture(), null, null, model.getTorchscript() == null ? null : torchscriptFile,
                    StageJobInput.of(model.getInput()), model.getClasses());
        }
        return new StageJobModel(model.getArchitecture(), model.getDepth(), model.effectiveWidth());
    }

    public Architecture getArchitecture() { return architecture; }
    public Integer getDepth() { return depth; }
    public Double getWidth() { return width; }
    public String getTorchscript() { return torchscript; }
    public StageJobInput getInput() { return input; }
    public Integer getClasses() { return classes; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageJobModel m && architecture == m.architecture && Objects.equals(depth, m.depth)
                && Objects.equals(width, m.width) && Objects.equals(torchscript, m.torchscript) && Objects.equals(input, m.input)
                && Objects.equals(classes, m.classes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, depth, width, torchscript, input, classes);
    }

    /** "plain-cnn-10 x0.5", "resnet-20", "torchscript 3x32x32, 10 classes". */
    @Override
    public String toString() {
        if (architecture == Architecture.TORCHSCRIPT) {
            return architecture + " " + input + ", " + classes + " classes";
        }
        return architecture + "-" + depth + (width == Bounds.DEFAULT_WIDTH ? "" : " x" + width);
    }
}
