package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Values a stage chooses among: every combination of the listed models, temperatures and alphas trains
 * as a candidate of its own, and the stage keeps the one with the best validation accuracy. A list left
 * out stands for the stage's own value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CandidatesSpec {

    @Size(max = Bounds.CANDIDATE_VALUES_MAX)
    @JsonPropertyDescription("Networks to try: each replaces the stage model's depth and width (the architecture stays). "
            + "At most " + Bounds.CANDIDATE_VALUES_MAX + ".")
    private List<CandidateModel> models;

    @Size(max = Bounds.CANDIDATE_VALUES_MAX)
    @JsonPropertyDescription("Temperatures to try (a stage with a teacher only), each within training.temperature's bounds. "
            + "At most " + Bounds.CANDIDATE_VALUES_MAX + ".")
    private List<Double> temperature;

    @Size(max = Bounds.CANDIDATE_VALUES_MAX)
    @JsonPropertyDescription("Weights of the soft term to try (a stage with a teacher only), each within training.alpha's bounds. "
            + "At most " + Bounds.CANDIDATE_VALUES_MAX + ".")
    private List<Double> alpha;

    public CandidatesSpec() {}

    public CandidatesSpec(List<CandidateModel> models, List<Double> temperature, List<Double> alpha) {
        this.models = models;
        this.temperature = temperature;
        this.alpha = alpha;
    }

    public List<CandidateModel> getModels() { return models; }
    public void setModels(List<CandidateModel> models) { this.models = models; }
    public List<Double> getTemperature() { return temperature; }
    public void setTemperature(List<Double> temperature) { this.temperature = temperature; }
    public List<Double> getAlpha() { return alpha; }
    public void setAlpha(List<Double> alpha) { this.alpha = alpha; }

    /** The depth and width of one candidate network; the stage model's architecture is kept. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CandidateModel {

        @JsonPropertyDescription("Depth, one the stage model's architecture supports. Default: the stage model's depth.")
        private Integer depth;

        @JsonPropertyDescription("Channel-width multiplier, within model.width's bounds. Default 1.0.")
        private Double width;

        public CandidateModel() {}

        public CandidateModel(Integer depth, Double width) {
            this.depth = depth;
            this.width = width;
        }

        public Integer getDepth() { return depth; }
        public void setDepth(Integer depth) { this.depth = depth; }
        public Double getWidth() { return width; }
        public void setWidth(Double width) { this.width = width; }
    }
}
