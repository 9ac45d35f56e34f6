package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.stages.all(s, self.stages.exists_one(t, t.name == s.name))",
        message = "stage names must be unique")
@ValidationRule(value = "self.stages.all(s, !has(s.teacher) || self.stages.exists(t, t.name == s.teacher))",
        message = "every stage's teacher must name a stage of this chain")
// A two-variable comprehension (Kubernetes 1.33+): index-based, so its estimated cost stays within
// the API server's budget, which the map(...).indexOf(...) form exceeded by far.
@ValidationRule(value = "self.stages.all(i, s, !has(s.teacher) || self.stages.exists(j, t, j < i && t.name == s.teacher))",
        message = "a stage's teacher must be listed before it (stages form a forest: no self-teaching, no cycles)")
public class DistillationChainSpec {

    @Required
    @JsonPropertyDescription("The data every stage trains and is evaluated on: a builtin dataset or one on a volume.")
    private DatasetSpec dataset;

    @JsonPropertyDescription("Pod-level settings for every stage's trainer Pod: image, resources, scheduling.")
    private TrainerSpec trainer;

    @JsonPropertyDescription("The persistent volume each stage writes its checkpoint to, and which volumes outlive the chain.")
    private StorageSpec storage;

    @JsonPropertyDescription("Training hyperparameters for every stage; a stage's own 'training' overrides any field.")
    private TrainingSpec training;

    @Min(Bounds.PARALLELISM_MIN)
    @Max(Bounds.PARALLELISM_MAX)
    @Default("" + Bounds.DEFAULT_PARALLELISM)
    @JsonPropertyDescription("How many stages of this chain may run at the same time (each stage is one Pod).")
    private Integer parallelism;

    @Min(Bounds.BACKOFF_LIMIT_MIN)
    @Max(Bounds.BACKOFF_LIMIT_MAX)
    @Default("" + Bounds.DEFAULT_BACKOFF_LIMIT)
    @JsonPropertyDescription("How many times a stage whose trainer failed is retried before the stage, and the chain, fail. "
            + "Pods lost to eviction, preemption or node loss are recreated without counting (see disruptionLimit).")
    private Integer backoffLimit;

    @Min(Bounds.DISRUPTION_LIMIT_MIN)
    @Max(Bounds.DISRUPTION_LIMIT_MAX)
    @Default("" + Bounds.DEFAULT_DISRUPTION_LIMIT)
    @JsonPropertyDescription("How many of a stage's Pods may be lost to disruptions (eviction, preemption, node loss, deletion "
            + "from outside) before the stage, and the chain, fail. They do not count against backoffLimit.")
    private Integer disruptionLimit;

    @Default("" + Bounds.DEFAULT_SUSPEND)
    @JsonPropertyDescription("When true no new stage Pods are started; running ones finish. Set back to false to continue.")
    private Boolean suspend;

    @Required
    @Size(min = Bounds.STAGES_MIN, max = Bounds.STAGES_MAX)
    @JsonPropertyDescription("The stages, teachers before their students. A stage without 'teacher' learns from labels alone.")
    private List<StageSpec> stages = new ArrayList<>();

    public DatasetSpec getDataset() { return dataset; }
    public void setDataset(DatasetSpec dataset) { this.dataset = dataset; }
    public TrainerSpec getTrainer() { return trainer; }
    public void setTrainer(TrainerSpec trainer) { this.trainer = trainer; }
    public StorageSpec getStorage() { return storage; }
    public void setStorage(StorageSpec storage) { this.storage = storage; }
    public TrainingSpec getTraining() { return training; }
    public void setTraining(TrainingSpec training) { this.training = training; }
    public Integer getParallelism() { return parallelism; }
    public void setParallelism(Integer parallelism) { this.parallelism = parallelism; }
    public Integer getBackoffLimit() { return backoffLimit; }
    public void setBackoffLimit(Integer backoffLimit) { this.backoffLimit = backoffLimit; }
    public Integer getDisruptionLimit() { return disruptionLimit; }
    public void setDisruptionLimit(Integer disruptionLimit) { this.disruptionLimit = disruptionLimit; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }
    public List<StageSpec> getStages() { return stages; }
    public void setStages(List<StageSpec> stages) { this.stages = stages; }

    /** Effective values: the CRD schema's defaults, applied again for specs that did not pass through an API server. */
    public int effectiveParallelism() { return parallelism == null ? Bounds.DEFAULT_PARALLELISM : parallelism; }
    public int effectiveBackoffLimit() { return backoffLimit == null ? Bounds.DEFAULT_BACKOFF_LIMIT : backoffLimit; }
    public int effectiveDisruptionLimit() { return disruptionLimit == null ? Bounds.DEFAULT_DISRUPTION_LIMIT : disruptionLimit; }
    @JsonIgnore // not a field: without this the CRD schema and serialized specs grow a 'suspended' property
    public boolean isSuspended() { return suspend == null ? Bounds.DEFAULT_SUSPEND : suspend; }

    /**
     * The training settings {@code stage} runs with: its own, else this chain's, else
     * {@link TrainingSpec#DEFAULTS}, field by field. A new object; neither spec is changed.
     */
    public TrainingSpec resolvedTraining(StageSpec stage) {
        TrainingSpec own = stage.getTraining() == null ? new TrainingSpec() : stage.getTraining();
        return own.withFallback(training).withFallback(TrainingSpec.DEFAULTS);
    }
}
