package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DistillationChainStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Pending, Running, Succeeded, Failed, Suspended or Invalid.")
    private ChainPhase phase;

    @JsonPropertyDescription("Valid, Progressing, Ready and Failed conditions, in the Kubernetes condition shape.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("One entry per stage, in spec order.")
    private List<StageStatus> stages = new ArrayList<>();

    @JsonPropertyDescription("Stages running or pending now, comma-separated; a stage choosing among candidates as "
            + "<stage> <ended>/<candidates>, e.g. \"assistant 3/12\".")
    private String activeStages;

    @JsonPropertyDescription("Succeeded stages out of all stages, e.g. 2/5.")
    private String progress;

    @JsonPropertyDescription("Training progress of the stages running now, e.g. 'teacher 57/200 71.2%': epochs done out of "
            + "all, and the latest test accuracy.")
    private String training;

    @JsonPropertyDescription("Best test accuracy among stages that have a teacher (the students), as a percentage, e.g. 84.1%.")
    private String bestAccuracy;

    @JsonPropertyDescription("One line comparing students with their baselines, e.g. 'student 84.1% (teacher 91.2%, student-alone 82.0%)'.")
    private String summary;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public ChainPhase getPhase() { return phase; }
    public void setPhase(ChainPhase phase) { this.phase = phase; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public List<StageStatus> getStages() { return stages; }
    public void setStages(List<StageStatus> stages) { this.stages = stages; }
    public String getActiveStages() { return activeStages; }
    public void setActiveStages(String activeStages) { this.activeStages = activeStages; }
    public String getProgress() { return progress; }
    public void setProgress(String progress) { this.progress = progress; }
    public String getTraining() { return training; }
    public void setTraining(String training) { this.training = training; }
    public String getBestAccuracy() { return bestAccuracy; }
    public void setBestAccuracy(String bestAccuracy) { this.bestAccuracy = bestAccuracy; }
    public String getSummary() { return summary; }
    public void setSummary(String summary) { this.summary = summary; }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistillationChainStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && phase == s.phase && Objects.equals(conditions, s.conditions) && Objects.equals(stages, s.stages)
                && Objects.equals(activeStages, s.activeStages) && Objects.equals(progress, s.progress) && Objects.equals(training, s.training)
                && Objects.equals(bestAccuracy, s.bestAccuracy) && Objects.equals(summary, s.summary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, phase, conditions, stages, activeStages, progress, training, bestAccuracy, summary);
    }
}
