package dev.distillation.trainer;

import dev.distillation.api.job.StageJobTraining;

/** The learning rate of each epoch, set once at the start of the epoch. */
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
}
