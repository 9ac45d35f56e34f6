package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.model.architecture != 'torchscript' || has(self.model.torchscript) != has(self.pretrained)",
        message = StageSpec.TORCHSCRIPT_SOURCE_MESSAGE)
@ValidationRule(value = "!has(self.pretrained) || !has(self.teacher)", message = StageSpec.PRETRAINED_TEACHER_MESSAGE)
public class StageSpec {

    public static final String TORCHSCRIPT_SOURCE_MESSAGE = "a torchscript stage names its file once: in model.torchscript to "
            + "train it, or in pretrained to evaluate it as it is";
    public static final String PRETRAINED_TEACHER_MESSAGE = "a pretrained stage is evaluated, not trained: it cannot have a teacher";

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

    @JsonPropertyDescription("Load and evaluate this checkpoint instead of training: a finished stage's folder (plain-cnn, "
            + "resnet), or for a torchscript model its TorchScript file (or a folder holding model.pt, such as a stage's export).")
    private PretrainedSpec pretrained;

    @JsonPropertyDescription("Values to choose among on the chain's validation split (needs spec.dataset.validation): every "
            + "combination trains as a candidate, and the stage keeps the one with the best validation accuracy; stages that "
            + "learn from this one learn from that candidate. At most " + Bounds.CANDIDATES_MAX + " combinations. "
            + "On a cluster each candidate is a stage Pod with its own volume, named <chain>-<candidate>; status.stages[] shows "
            + "the choice (selected) and every candidate (candidates[]).")
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
