package dev.distillation.trainer;

/**
 * The time a stage still needs: the mean duration of the epochs this run has trained so far, times
 * the epochs left. (A resumed run counts only its own epochs: a checkpoint carries no timings.)
 */
final class Eta {

    private double seconds;
    private int epochs;

    /** One more epoch took {@code epochSeconds}. */
    void add(double epochSeconds) {
        seconds += epochSeconds;
        epochs++;
    }

    /** Seconds left after {@code epoch} of {@code totalEpochs}; NaN before the first epoch ended. */
    double remainingSeconds(int epoch, int totalEpochs) {
        return epochs == 0 ? Double.NaN : seconds / epochs * Math.max(0, totalEpochs - epoch);
    }
}
