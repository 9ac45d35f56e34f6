package dev.distillation.api.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.distillation.api.v1alpha1.LearningRateSchedule;
import dev.distillation.api.v1alpha1.Optimizer;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.util.Objects;

/**
 * The hyperparameters of a StageJob, every one resolved, as version 1 of the StageJob contract
 * carries them. Its own class rather than the CRD's {@link TrainingSpec}: a field added to the
 * chain's schema does not change the document a trainer reads. Field names and meanings are those
 * of {@link TrainingSpec}, whose schema annotations also state their bounds. Immutable.
 */
@JsonPropertyOrder({"epochs", "batchSize", "optimizer", "learningRate", "momentum", "weightDecay", "lrSchedule",
        "lrStepEpochs", "lrGamma", "warmupEpochs", "gradientClipNorm", "temperature", "alpha", "seed", "augment"})
public final class StageJobTraining {

    /** warmupEpochs and gradientClipNorm of a StageJob that lacks them (written before they existed): 0, off. */
    static final double NOT_SET_BEFORE = 0.0;

    private final Integer epochs;
    private final Integer batchSize;
    private final Optimizer optimizer;
    private final Double learningRate;
    private final Double momentum;
    private final Double weightDecay;
    private final LearningRateSchedule lrSchedule;
    private final Integer lrStepEpochs;
    private final Double lrGamma;
    private final Double warmupEpochs;
    private final Double gradientClipNorm;
    private final Double temperature;
    private final Double alpha;
    private final Long seed;
    private final Boolean augment;

    @JsonCreator
    public StageJobTraining(@JsonProperty("epochs") Integer epochs, @JsonProperty("batchSize") Integer batchSize,
                            @JsonProperty("optimizer") Optimizer optimizer, @JsonProperty("learningRate") Double learningRate,
                            @JsonProperty("momentum") Double momentum, @JsonProperty("weightDecay") Double weightDecay,
                            @JsonProperty("lrSchedule") LearningRateSchedule lrSchedule, @JsonProperty("lrStepEpochs") Integer lrStepEpochs,
                            @JsonProperty("lrGamma") Double lrGamma, @JsonProperty("warmupEpochs") Double warmupEpochs,
                            @JsonProperty("gradientClipNorm") Double gradientClipNorm, @JsonProperty("temperature") Double temperature,
                            @JsonProperty("alpha") Double alpha, @JsonProperty("seed") Long seed, @JsonProperty("augment") Boolean augment) {
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.optimizer = optimizer;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.lrSchedule = lrSchedule;
        this.lrStepEpochs = lrStepEpochs;
        this.lrGamma = lrGamma;
        // absent from StageJobs written before these settings existed: off, as the trainers of then trained
        this.warmupEpochs = warmupEpochs != null ? warmupEpochs : NOT_SET_BEFORE;
        this.gradientClipNorm = gradientClipNorm != null ? gradientClipNorm : NOT_SET_BEFORE;
        this.temperature = temperature;
        this.alpha = alpha;
        this.seed = seed;
        this.augment = augment;
    }

    /** The settings of a chain's stage as {@code DistillationChainSpec#resolvedTraining} gives them. */
    public static StageJobTraining of(TrainingSpec t) {
        return new StageJobTraining(t.getEpochs(), t.getBatchSize(), t.getOptimizer(), t.getLearningRate(), t.getMomentum(),
                t.getWeightDecay(), t.getLrSchedule(), t.getLrStepEpochs(), t.getLrGamma(), t.getWarmupEpochs(), t.getGradientClipNorm(),
                t.getTemperature(), t.getAlpha(), t.getSeed(), t.getAugment());
    }

    public Integer getEpochs() { return epochs; }
    public Integer getBatchSize() { return batchSize; }
    public Optimizer getOptimizer() { return optimizer; }
    public Double getLearningRate() { return learningRate; }
    public Double getMomentum() { return momentum; }
    public Double getWeightDecay() { return weightDecay; }
    public LearningRateSchedule getLrSchedule() { return lrSchedule; }
    public Integer getLrStepEpochs() { return lrStepEpochs; }
    public Double getLrGamma() { return lrGamma; }
    public Double getWarmupEpochs() { return warmupEpochs; }
    public Double getGradientClipNorm() { return gradientClipNorm; }
    public Double getTemperature() { return temperature; }
    public Double getAlpha() { return alpha; }
    public Long getSeed() { return seed; }
    public Boolean getAugment() { return augment; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageJobTraining t && Objects.equals(epochs, t.epochs) && Objects.equals(batchSize, t.batchSize)
                && optimizer == t.optimizer && Objects.equals(learningRate, t.learningRate) && Objects.equals(momentum, t.momentum)
                && Objects.equals(weightDecay, t.weightDecay) && lrSchedule == t.lrSchedule
                && Objects.equals(lrStepEpochs, t.lrStepEpochs) && Objects.equals(lrGamma, t.lrGamma)
                && Objects.equals(warmupEpochs, t.warmupEpochs) && Objects.equals(gradientClipNorm, t.gradientClipNorm)
                && Objects.equals(temperature, t.temperature) && Objects.equals(alpha, t.alpha) && Objects.equals(seed, t.seed)
                && Objects.equals(augment, t.augment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epochs, batchSize, optimizer, learningRate, momentum, weightDecay, lrSchedule, lrStepEpochs, lrGamma,
                warmupEpochs, gradientClipNorm, temperature, alpha, seed, augment);
    }
}
