package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One row of a stage's candidate table: a candidate's state and the score it is chosen by. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CandidateStatus {

    @JsonPropertyDescription("The candidate's name, <stage>-d<depth>-w<width> and, for a stage with a teacher, -t<T>-a<alpha>; "
            + "also the name of its Pods (<chain>-<candidate>-a<N>) and of its volume (<chain>-<candidate>).")
    private String name;

    @JsonPropertyDescription("Waiting, Pending, Running, Succeeded, Failed or Skipped.")
    private StagePhase phase;

    @JsonPropertyDescription("Accuracy on the chain's validation split after the last epoch (0..1): what the stage chooses by.")
    private Double validationAccuracy;

    @JsonPropertyDescription("Why the candidate is where it is, e.g. the trainer's error of a failed candidate.")
    private String message;

    public CandidateStatus() {}

    public CandidateStatus(String name, StagePhase phase, Double validationAccuracy, String message) {
        this.name = name;
        this.phase = phase;
        this.validationAccuracy = validationAccuracy;
        this.message = message;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public StagePhase getPhase() { return phase; }
    public void setPhase(StagePhase phase) { this.phase = phase; }
    public Double getValidationAccuracy() { return validationAccuracy; }
    public void setValidationAccuracy(Double validationAccuracy) { this.validationAccuracy = validationAccuracy; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidateStatus c && Objects.equals(name, c.name) && phase == c.phase
                && Objects.equals(validationAccuracy, c.validationAccuracy) && Objects.equals(message, c.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, phase, validationAccuracy, message);
    }
}
