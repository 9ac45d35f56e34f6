package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Training hyperparameters. Every field is optional: a stage's value wins over the chain's
 * {@code spec.training}, which wins over {@link #DEFAULTS}. The CRD carries no defaults for these
 * fields on purpose: a defaulted field in a stage's override would silently win over the chain's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSpec {

    /** The values used when neither the stage nor the chain sets a field. */
    public static final TrainingSpec DEFAULTS = defaults();

    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Passes over the training set. Default 30.")
    private Integer epochs;

    @Min(1)
    @Max(65536)
    @JsonPropertyDescription("Images per optimisation step. Default 128.")
    private Integer batchSize;

    @JsonPropertyDescription("sgd (with momentum) or adam. Default sgd.")
    private Optimizer optimizer;

    @Min(value = 0, inclusive = false)
    @Max(10)
    @JsonPropertyDescription("Initial learning rate; must be greater than 0. Default 0.1.")
    private Double learningRate;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @JsonPropertyDescription("SGD momentum, 0 <= momentum < 1. Default 0.9.")
    private Double momentum;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("L2 weight decay. Default 5.0e-4.")
    private Double weightDecay;

    @JsonPropertyDescription("Learning-rate schedule: constant, step (x lrGamma every lrStepEpochs) or cosine. Default cosine.")
    private LearningRateSchedule lrSchedule;

    @Min(1)
    @JsonPropertyDescription("For the step schedule: epochs between learning-rate drops. Default 10.")
    private Integer lrStepEpochs;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @JsonPropertyDescription("For the step schedule: factor applied at each drop, 0 < lrGamma <= 1. Default 0.1.")
    private Double lrGamma;

    @Min(value = 0, inclusive = false)
    @Max(100)
    @JsonPropertyDescription("Distillation temperature T (> 0) softening teacher and student logits. Default 4.0.")
    private Double temperature;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Weight of the soft (distillation) term, 0 <= alpha <= 1; 1 - alpha weighs the label loss. Default 0.9.")
    private Double alpha;

    @Min(0)
    @JsonPropertyDescription("Random seed for initialisation and data order. Default 1.")
    private Long seed;

    @JsonPropertyDescription("Random crop (padding 4) and horizontal flip of training images; meant for CIFAR. Default false.")
    private Boolean augment;

    private static TrainingSpec defaults() {
        TrainingSpec d = new TrainingSpec();
        d.epochs = 30;
        d.batchSize = 128;
        d.optimizer = Optimizer.SGD;
        d.learningRate = 0.1;
        d.momentum = 0.9;
        d.weightDecay = 5.0e-4;
        d.lrSchedule = LearningRateSchedule.COSINE;
        d.lrStepEpochs = 10;
        d.lrGamma = 0.1;
        d.temperature = 4.0;
        d.alpha = 0.9;
        d.seed = 1L;
        d.augment = false;
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
    public Double getTemperature() { return temperature; }
    public void setTemperature(Double temperature) { this.temperature = temperature; }
    public Double getAlpha() { return alpha; }
    public void setAlpha(Double alpha) { this.alpha = alpha; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
    public Boolean getAugment() { return augment; }
    public void setAugment(Boolean augment) { this.augment = augment; }
}
