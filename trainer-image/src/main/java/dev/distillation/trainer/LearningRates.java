package dev.distillation.trainer;

import dev.distillation.api.job.StageJobTraining;

/**
 * The learning rate of every step: the schedule's rate for the epoch, times a linear warmup factor
 * over the first {@code warmupEpochs} epochs.
 *
 * <p>Why a warmup by default: at the schedule's full rate from the first step, distilled stages
 * collapsed to one class (10% test accuracy on Fashion-MNIST), in this trainer and in plain PyTorch
 * alike; with a quarter epoch of warmup and gradient clipping none did, and short runs on small
 * subsets trained better than with clipping alone (experiments/defaults/README.md has the tables).
 */
final class LearningRates {

    private LearningRates() {}

    /**
     * Learning rate for 1-based {@code epoch}: constant; step = lr·γ^⌊(epoch−1)/stepEpochs⌋; cosine =
     * lr·(1 + cos(π·(epoch−1)/epochs))/2 (PyTorch's CosineAnnealingLR stepped once per epoch, down to 0).
     */
    static double forEpoch(StageJobTraining t, int epoch) {
        double lr = t.getLearningRate();
        int e = epoch - 1;
        return switch (t.getLrSchedule()) {
            case CONSTANT -> lr;
            case STEP -> lr * Math.pow(t.getLrGamma(), e / t.getLrStepEpochs());
            case COSINE -> lr * 0.5 * (1 + Math.cos(Math.PI * e / t.getEpochs()));
        };
    }

    /**
     * The rate of 1-based {@code step} (of {@code stepsPerEpoch}) in 1-based {@code epoch}: the epoch's
     * rate scaled by {@code min(1, k / (warmupEpochs · stepsPerEpoch))}, k the step's number counted
     * from the start of training, so the first step trains at a small fraction of the rate and the
     * warmup ends after {@code warmupEpochs} epochs. A resumed stage gets the same rates it would have had.
     */
    static double forStep(StageJobTraining t, int epoch, long step, long stepsPerEpoch) {
        return forEpoch(t, epoch) * warmupFactor(t.getWarmupEpochs(), (epoch - 1) * stepsPerEpoch + step, stepsPerEpoch);
    }

    static double warmupFactor(double warmupEpochs, long stepFromStart, long stepsPerEpoch) {
        double warmupSteps = warmupEpochs * stepsPerEpoch;
        return warmupSteps <= 0 ? 1.0 : Math.min(1.0, stepFromStart / warmupSteps);
    }
}
