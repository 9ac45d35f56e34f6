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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StageJobModel {

    private final Architecture architecture;
    private final Integer depth;
    private final Double width;

    /** {@code width} may be absent: StageJobs of operator 0.1.0 left out a width the chain did not set. */
    @JsonCreator
    public StageJobModel(@JsonProperty("architecture") Architecture architecture, @JsonProperty("depth") Integer depth,
                         @JsonProperty("width") Double width) {
        this.architecture = architecture;
        this.depth = depth;
        this.width = width == null ? Bounds.DEFAULT_WIDTH : width;
    }

    /** The model of a chain's stage, every value resolved. */
    public static StageJobModel of(ModelSpec model) {
        return new StageJobModel(model.getArchitecture(), model.getDepth(), model.effectiveWidth());
    }

    public Architecture getArchitecture() { return architecture; }
    public Integer getDepth() { return depth; }
    public Double getWidth() { return width; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageJobModel m && architecture == m.architecture && Objects.equals(depth, m.depth)
                && Objects.equals(width, m.width);
    }

    @Override
    public int hashCode() {
        return Objects.hash(architecture, depth, width);
    }

    @Override
    public String toString() {
        return architecture + "-" + depth + (width == Bounds.DEFAULT_WIDTH ? "" : " x" + width);
    }
}
