package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageSpec {

    @Required
    @Size(min = 1, max = Bounds.STAGE_NAME_MAX)
    @Pattern(Bounds.DNS_LABEL)
    @JsonPropertyDescription("Stage name: a DNS label (lower-case letters, digits, '-') of at most " + Bounds.STAGE_NAME_MAX
            + " characters, unique in the chain. "
            + "The stage's Pod is <chain>-<stage>-a<attempt> and its volume <chain>-<stage>.")
    private String name;

    @Required
    @JsonPropertyDescription("The network this stage trains.")
    private ModelSpec model;

    // Bounded like 'name': the CEL rules on spec compare teachers with names, and Kubernetes rejects
    // CEL whose estimated cost is unbounded.
    @Size(min = 1, max = Bounds.STAGE_NAME_MAX)
    @Pattern(Bounds.DNS_LABEL)
    @JsonPropertyDescription("Name of an earlier stage this stage distills from. Without it the stage learns from labels alone.")
    private String teacher;

    @JsonPropertyDescription("Overrides of the chain's training settings for this stage only.")
    private TrainingSpec training;

    @JsonPropertyDescription("Load and evaluate this checkpoint instead of training.")
    private PretrainedSpec pretrained;

    @JsonPropertyDescription("Values to choose among on the chain's validation split (needs spec.dataset.validation): every "
            + "combination trains as a candidate, and the stage keeps the one with the best validation accuracy; stages that "
            + "learn from this one learn from that candidate. At most " + Bounds.CANDIDATES_MAX + " combinations. "
            + "Chosen by distill run; this operator version reports a chain with candidates as invalid and creates nothing.")
    private CandidatesSpec candidates;

    public CandidatesSpec getCandidates() { return candidates; }
    public void setCandidates(CandidatesSpec candidates) { this.candidates = candidates; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public ModelSpec getModel() { return model; }
    public void setModel(ModelSpec model) { this.model = model; }
    public String getTeacher() { return teacher; }
    public void setTeacher(String teacher) { this.teacher = teacher; }
    public TrainingSpec getTraining() { return training; }
    public void setTraining(TrainingSpec training) { this.training = training; }
    public PretrainedSpec getPretrained() { return pretrained; }
    public void setPretrained(PretrainedSpec pretrained) { this.pretrained = pretrained; }
}
