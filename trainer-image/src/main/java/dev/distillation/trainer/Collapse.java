package dev.distillation.trainer;

import dev.distillation.api.job.StageJobTraining;
import java.util.Locale;
import java.util.Optional;

/**
 * A run that has collapsed: after a whole epoch the network is no better than chance on the test
 * split and on the epoch's own training batches, and puts most test images into one class. Such a
 * network never recovered in the runs measured (a distilled plain-cnn-4 stayed at 10% for 3 epochs
 * with training loss 7.9), and the same settings and seed collapse again, so the stage fails at once
 * and is not retried (exit code 4, training failed), rather than ending "Succeeded" at 10%.
 *
 * <p>The thresholds keep healthy runs clear of it: a network that learns anything is well above
 * chance after a full epoch of at least {@value #MIN_STEPS} steps, and early runs that are still at
 * chance after only a few steps (a tiny data subset) are not judged.
 */
final class Collapse {

    /** Steps trained before a run is judged. */
    static final long MIN_STEPS = 50;
    /**
     * Accuracies at most this share of the way from chance (1 / classes) to 100% count as chance:
     * 14.5% with 10 classes, 52.5% with 2, 5.95% with 100.
     */
    static final double CHANCE_MARGIN = 0.05;
    /** Share of the test images in the most-predicted class from which the predictions count as concentrated. */
    static final double CONCENTRATED = 0.5;

    private Collapse() {}

    /** The failure to raise when {@code epoch} (trained for {@code stepsSoFar} steps in all) shows a collapse; else empty. */
    static Optional<TrainerException> check(EpochResult epoch, Evaluator.Evaluation test, long stepsSoFar, int classes, StageJobTraining t) {
        double chance = 1.0 / classes;
        boolean judged = stepsSoFar >= MIN_STEPS && classes >= 2;
        double atMost = chance + CHANCE_MARGIN * (1 - chance);
        boolean atChance = test.accuracy() <= atMost && epoch.trainAccuracy() <= atMost;
        if (!judged || !atChance || test.topClassShare() < CONCENTRATED) {
            return Optional.empty();
        }
        return Optional.of(new TrainerException(TrainerException.TRAINING_FAILED, String.format(Locale.ROOT,
                "training collapsed: after epoch %d the network predicts class %d for %.0f%% of the test images (test accuracy "
                        + "%.1f%%, training accuracy %.1f%%, chance %.1f%%; training loss %.3g); the same settings collapse again: "
                        + "lower training.learningRate (now %s), raise training.warmupEpochs (now %s) or clip harder with a "
                        + "smaller training.gradientClipNorm (now %s; 0 = no clipping), then train the stage again",
                epoch.epoch(), test.topClass(), 100 * test.topClassShare(), 100 * test.accuracy(), 100 * epoch.trainAccuracy(),
                100 * chance, epoch.trainLoss(), t.getLearningRate(), t.getWarmupEpochs(), t.getGradientClipNorm())));
    }
}
