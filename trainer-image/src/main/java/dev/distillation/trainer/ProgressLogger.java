package dev.distillation.trainer;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.text.Formats;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.io.PrintWriter;
import java.util.Locale;

/** One log line per epoch (loss, accuracy, images/s, ETA): what {@code kubectl logs -f} shows. */
public final class ProgressLogger implements TrainingListener {

    private final PrintWriter out;
    private int totalEpochs;
    private final Eta eta = new Eta();

    public ProgressLogger(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
        this.totalEpochs = totalEpochs;
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
        eta.add(r.seconds());
        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train-acc %s  test-loss %.4f  test-acc %s  lr %.5f  %.0f img/s  %s  ETA %s%n",
                r.epoch(), totalEpochs, r.trainLoss(), Formats.percent(r.trainAccuracy()), r.testLoss(), Formats.percent(r.testAccuracy()),
                r.learningRate(), r.samplesPerSecond(), Formats.duration(r.seconds()), Formats.duration(eta.remainingSeconds(r.epoch(), totalEpochs)));
        out.flush();
    }

    @Override
    public void onFinish(StageMetrics m) {
        out.printf(Locale.ROOT, "finished: test accuracy %s (best %s), %s%n", Formats.percent(m.getTestAccuracy()),
                Formats.percent(m.getBestTestAccuracy()), m.getDevice());
        out.flush();
    }
}
