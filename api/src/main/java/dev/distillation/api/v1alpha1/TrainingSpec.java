package dev.distillation.api.v1alpha1;

import static dev.distillation.api.v1alpha1.Bounds.*;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Training hyperparameters. Every field is optional: a stage's value wins over the chain's
 * {@code spec.training}, which wins over {@link #DEFAULTS} ({@link DistillationChainSpec#resolvedTraining}).
 * The CRD carries no defaults for these fields on purpose: a defaulted field in a stage's override
 * would silently win over the chain's. Bounds and defaults: {@link Bounds}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {

    /** The values used when neither the stage nor the chain sets a field. */
    public static final TrainingSpec DEFAULTS = defaults();

    @Min(EPOCHS_MIN)
    @Max(EPOCHS_MAX)
    @JsonPropertyDescription("Passes over the training set. Default " + DEFAULT_EPOCHS + ".")
    private Integer epochs;

    @Min(BATCH_SIZE_MIN)
    @Max(BATCH_SIZE_MAX)
    @JsonPropertyDescription("Images per optimisation step. Default " + DEFAULT_BATCH_SIZE + ".")
    private Integer batchSize;

    @JsonPropertyDescription("sgd (with momentum) or adam. Default " + DEFAULT_OPTIMIZER + ".")
    private Optimizer optimizer;

    @Min(value = LEARNING_RATE_ABOVE, inclusive = false)
    @Max(LEARNING_RATE_MAX)
    @JsonPropertyDescription("Initial learning rate; must be greater than " + LEARNING_RATE_ABOVE + ". Default " + DEFAULT_LEARNING_RATE + ".")
    private Double learningRate;

    @Min(MOMENTUM_MIN)
    @Max(value = MOMENTUM_BELOW, inclusive = false)
    @JsonPropertyDescription("SGD momentum, " + MOMENTUM_MIN + " <= momentum < " + MOMENTUM_BELOW + ". Default " + DEFAULT_MOMENTUM + ".")
    private Double momentum;

    @Min(WEIGHT_DECAY_MIN)
    @Max(WEIGHT_DECAY_MAX)
    @JsonPropertyDescription("L2 weight decay. Default " + DEFAULT_WEIGHT_DECAY + ".")
    private Double weightDecay;

    @JsonPropertyDescription("Learning-rate schedule: constant, step (x lrGamma every lrStepEpochs) or cosine. Default "
            + DEFAULT_LR_SCHEDULE + ".")
    private LearningRateSchedule lrSchedule;

    @Min(LR_STEP_EPOCHS_MIN)
    @JsonPropertyDescription("For the step schedule: epochs between learning-rate drops. Default " + DEFAULT_LR_STEP_EPOCHS + ".")
    private Integer lrStepEpochs;

    @Min(value = LR_GAMMA_ABOVE, inclusive = false)
    @Max(LR_GAMMA_MAX)
    @JsonPropertyDescription("For the step schedule: factor applied at each drop, " + LR_GAMMA_ABOVE + " < lrGamma <= " + LR_GAMMA_MAX
            + ". Default " + DEFAULT_LR_GAMMA + ".")
    private Double lrGamma;

    @Min(WARMUP_EPOCHS_MIN)
    @Max(WARMUP_EPOCHS_MAX)
    @JsonPropertyDescription("Epochs over which the learning rate rises linearly from near 0 to its scheduled value, step by step "
            + "(fractions allowed; 0 = no warmup). Keeps the first steps of a fresh network, above all a distilled one, from "
            + "collapsing to one class. Default " + DEFAULT_WARMUP_EPOCHS + ".")
    private Double warmupEpochs;

    @Min(GRADIENT_CLIP_NORM_MIN)
    @Max(GRADIENT_CLIP_NORM_MAX)
    @JsonPropertyDescription("Largest global L2 norm of a step's gradient; larger gradients are scaled down to it (0 = no "
            + "clipping). Default " + DEFAULT_GRADIENT_CLIP_NORM + ".")
    private Double gradientClipNorm;

    @Min(value = TEMPERATURE_ABOVE, inclusive = false)
    @Max(TEMPERATURE_MAX)
    @JsonPropertyDescription("Distillation temperature T (> " + TEMPERATURE_ABOVE + ") softening teacher and student logits. Default "
            + DEFAULT_TEMPERATURE + ".")
    private Double temperature;

    @Min(ALPHA_MIN)
    @Max(ALPHA_MAX)
    @JsonPropertyDescription("Weight of the soft (distillation) term, " + ALPHA_MIN + " <= alpha <= " + ALPHA_MAX
            + "; 1 - alpha weighs the label loss. Default " + DEFAULT_ALPHA + ".")
    private Double alpha;

    @Min(SEED_MIN)
    @JsonPropertyDescription("Random seed for initialisation and data order. Default " + DEFAULT_SEED + ".")
    private Long seed;

    @JsonPropertyDescription("Random crop (padding 4) and horizontal flip of training images; meant for CIFAR. Default "
            + DEFAULT_AUGMENT + ".")
    private Boolean augment;

    private static TrainingSpec defaults() {
        TrainingSpec d = new TrainingSpec();
        d.epochs = DEFAULT_EPOCHS;
        d.batchSize = DEFAULT_BATCH_SIZE;
        d.optimizer = Optimizer.fromValue(DEFAULT_OPTIMIZER);
        d.learningRate = DEFAULT_LEARNING_RATE;
        d.momentum = DEFAULT_MOMENTUM;
        d.weightDecay = DEFAULT_WEIGHT_DECAY;
        d.lrSchedule = LearningRateSchedule.fromValue(DEFAULT_LR_SCHEDULE);
        d.lrStepEpochs = DEFAULT_LR_STEP_EPOCHS;
        d.lrGamma = DEFAULT_LR_GAMMA;
        d.warmupEpochs = DEFAULT_WARMUP_EPOCHS;
        d.gradientClipNorm = DEFAULT_GRADIENT_CLIP_NORM;
        d.temperature = DEFAULT_TEMPERATURE;
        d.alpha = DEFAULT_ALPHA;
        d.seed = DEFAULT_SEED;
        d.augment = DEFAULT_AUGMENT;
        return d;
    }

    /**
     * This spec with every unset field taken from {@code fallback}. Neither object is changed.
     */
    public TrainingSpec withFallback(TrainingSpec fallback) {
        if (fallback == null) {
            return copy();
        }
        TrainingSpec r = new TrainingSpec();
        r.epochs = epochs != null ? epochs : fallback.epochs;
        r.batchSize = batchSize != null ? batchSize : fallback.batchSize;
        r.optimizer = optimizer != null ? optimizer : fallback.optimizer;
        r.learningRate = learningRate != null ? learningRate : fallback.learningRate;
        r.momentum = momentum != null ? momentum : fallback.momentum;
        r.weightDecay = weightDecay != null ? weightDecay : fallback.weightDecay;
        r.lrSchedule = lrSchedule != null ? lrSchedule : fallback.lrSchedule;
        r.lrStepEpochs = lrStepEpochs != null ? lrStepEpochs : fallback.lrStepEpochs;
        r.lrGamma = lrGamma != null ? lrGamma : fallback.lrGamma;
        r.warmupEpochs = warmupEpochs != null ? warmupEpochs : fallback.warmupEpochs;
        r.gradientClipNorm = gradientClipNorm != null ? gradientClipNorm : fallback.gradientClipNorm;
        r.temperature = temperature != null ? temperature : fallback.temperature;
        r.alpha = alpha != null ? alpha : fallback.alpha;
        r.seed = seed != null ? seed : fallback.seed;
        r.augment = augment != null ? augment : fallback.augment;
        return r;
    }

    public TrainingSpec copy() {
        return withFallback(new TrainingSpec());
    }

    public Integer getEpochs() { return epochs; }
    public void setEpochs(Integer epochs) { this.epochs = epochs; }
    public Integer getBatchSize() { return batchSize; }
    public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }
    public Optimizer getOptimizer() { return optimizer; }
    public void setOptimizer(Optimizer optimizer) { this.optimizer = optimizer; }
    public Double getLearningRate() { return learningRate; }
    public void setLearningRate(Double learningRate) { this.learningRate = learningRate; }
    public Double getMomentum() { return momentum; }
    public void setMomentum(Double momentum) { this.momentum = momentum; }
    public Double getWeightDecay() { return weightDecay; }
    public void setWeightDecay(Double weightDecay) { this.weightDecay = weightDecay; }
    public LearningRateSchedule getLrSchedule() { return lrSchedule; }
    public void setLrSchedule(LearningRateSchedule lrSchedule) { this.lrSchedule = lrSchedule; }
    public Integer getLrStepEpochs() { return lrStepEpochs; }
    public void setLrStepEpochs(Integer lrStepEpochs) { this.lrStepEpochs = lrStepEpochs; }
    public Double getLrGamma() { return lrGamma; }
    public void setLrGamma(Double lrGamma) { this.lrGamma = lrGamma; }
    public Double getWarmupEpochs() { return warmupEpochs; }
    public void setWarmupEpochs(Double warmupEpochs) { this.warmupEpochs = warmupEpochs; }
    public Double getGradientClipNorm() { return gradientClipNorm; }
    public void setGradientClipNorm(Double gradientClipNorm) { this.gradientClipNorm = gradientClipNorm; }
    public Double getTemperature() { return temperature; }
    public void setTemperature(Double temperature) { this.temperature = temperature; }
    public Double getAlpha() { return alpha; }
    public void setAlpha(Double alpha) { this.alpha = alpha; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
    public Boolean getAugment() { return augment; }
    public void setAugment(Boolean augment) { this.augment = augment; }
}
