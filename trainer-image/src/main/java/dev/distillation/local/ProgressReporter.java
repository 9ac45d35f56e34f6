package dev.distillation.local;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.text.Formats;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.EpochResult;
import dev.distillation.trainer.TrainingListener;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a stage's training. On a terminal: one progress bar per epoch (images done, images/s, the
 * epoch's ETA, and the stage's ETA), left on screen with the epoch's test accuracy when it ends.
 * Otherwise (CI logs, pipes): one plain line per epoch, no control characters.
 */
public final class ProgressReporter implements TrainingListener, AutoCloseable {

    private final PrintWriter out;
    private final boolean bars;

    private String stage = "";
    private int batchSize = 1;
    private int totalEpochs;
    private long stageStartNanos;
    private int epochsDoneThisRun;

    private ProgressBar bar;
    private int barEpoch;

    /**
     * @param out  where bars and lines go
     * @param bars true for progress bars (an interactive terminal), false for plain lines
     */
    public ProgressReporter(PrintWriter out, boolean bars) {
        this.out = out;
        this.bars = bars;
    }

    @Override
    public synchronized void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
        this.stage = job.stage();
        this.batchSize = job.training() != null && job.training().getBatchSize() != null ? job.training().getBatchSize() : 1;
        this.totalEpochs = totalEpochs;
        this.stageStartNanos = System.nanoTime();
        this.epochsDoneThisRun = 0;
        if (firstEpoch > 1) {
            out.printf(Locale.ROOT, "  resuming at epoch %d of %d (earlier epochs restored from the checkpoint)%n", firstEpoch, totalEpochs);
        }
    }

    @Override
    public synchronized void onBatch(int epoch, long batch, long batchesPerEpoch, long samplesSeen) {
        if (!bars) {
            return;
        }
        if (bar == null || barEpoch != epoch) {
            closeBar();
            barEpoch = epoch;
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "%s %d/%d", stage, epoch, totalEpochs))
                    .setInitialMax(batchesPerEpoch * batchSize)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(120)
                    .build();
            String eta = stageEta(epoch);
            if (eta != null) {
                bar.setExtraMessage("  stage ETA " + eta);
            }
        }
        bar.stepTo(Math.min(samplesSeen > 0 ? samplesSeen : batch * batchSize, bar.getMax()));
        if (batch >= batchesPerEpoch) {
            bar.setExtraMessage("  evaluating...");
        }
    }

    @Override
    public synchronized void onEpoch(EpochResult r) {
        epochsDoneThisRun++;
        String summary = (r.validationAccuracy() == null ? "" : "val acc " + Formats.percent(r.validationAccuracy()) + ", ")
                + String.format(Locale.ROOT, "test acc %s, loss %.3f", Formats.percent(r.testAccuracy()), r.testLoss());
        if (bars && bar != null) {
            bar.stepTo(bar.getMax());
            bar.setExtraMessage("  " + summary);
            closeBar();
        } else if (!bars) {
            out.printf(Locale.ROOT, "  %s epoch %d/%d: train loss %.3f, %s, %.1fs, %.0f img/s%n",
                    stage, r.epoch(), totalEpochs, r.trainLoss(), summary, r.seconds(), r.samplesPerSecond());
        }
    }

    @Override
    public synchronized void onFinish(StageMetrics metrics) {
        closeBar();
    }

    /** Remaining time of the stage from the mean duration of the epochs done in this run, or null before the first. */
    private String stageEta(int epoch) {
        if (epochsDoneThisRun == 0) {
            return null;
        }
        double perEpoch = (System.nanoTime() - stageStartNanos) / 1e9 / epochsDoneThisRun;
        int left = totalEpochs - epoch + 1;
        return Formats.duration(perEpoch * left);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Closes an open bar (e.g. on Ctrl-C) so the terminal is left tidy. */
    @Override
    public synchronized void close() {
        closeBar();
    }
}
