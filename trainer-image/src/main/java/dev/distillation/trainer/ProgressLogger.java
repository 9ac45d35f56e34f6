package dev.distillation.trainer;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.io.PrintWriter;
import java.util.Locale;

/** One log line per epoch (loss, accuracy, images/s, ETA): what {@code kubectl logs -f} shows. */
public final class ProgressLogger implements TrainingListener {

    private final PrintWriter out;
    private int totalEpochs;
    private int firstEpoch;
    private double secondsSoFar;
    private int epochsSoFar;

    public ProgressLogger(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
        this.totalEpochs = totalEpochs;
        this.firstEpoch = firstEpoch;
        if (firstEpoch > totalEpochs) {
            out.printf(Locale.ROOT, "all %d epochs already trained (checkpoint); writing outputs%n", totalEpochs);
        } else {
            out.printf(Locale.ROOT, "%s epoch %d of %d, %d batches per epoch%n", firstEpoch > 1 ? "resuming at" : "starting at",
                    firstEpoch, totalEpochs, batchesPerEpoch);
        }
        out.flush();
    }

    @Override
    public void onEpoch(EpochResult r) {
        secondsSoFar += r.seconds();
        epochsSoFar++;
        double eta = secondsSoFar / epochsSoFar * (totalEpochs - r.epoch());
        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train-acc %.2f%%  test-loss %.4f  test-acc %.2f%%  lr %.5f  %.0f img/s  %.1fs  ETA %s%n",
                r.epoch(), totalEpochs, r.trainLoss(), 100 * r.trainAccuracy(), r.testLoss(), 100 * r.testAccuracy(),
                r.learningRate(), r.samplesPerSecond(), r.seconds(), duration(eta));
        out.flush();
    }

    @Override
    public void onFinish(StageMetrics m) {
        out.printf(Locale.ROOT, "finished: test accuracy %.2f%% (best %.2f%%), %s%n", 100 * nz(m.getTestAccuracy()),
                100 * nz(m.getBestTestAccuracy()), m.getDevice());
        out.flush();
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
