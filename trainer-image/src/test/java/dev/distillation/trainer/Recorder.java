package dev.distillation.trainer;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.util.ArrayList;
import java.util.List;

/** Records what the trainer reports to its listener. */
final class Recorder implements TrainingListener {
    int firstEpoch = -1;
    long batchesPerEpoch;
    final List<EpochResult> epochs = new ArrayList<>();
    long batches;
    StageMetrics finished;

    @Override
    public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
        this.firstEpoch = firstEpoch;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    @Override
    public void onBatch(int epoch, long batch, long perEpoch, long samplesSeen) {
        batches++;
    }

    @Override
    public void onEpoch(EpochResult r) {
        epochs.add(r);
    }

    @Override
    public void onFinish(StageMetrics m) {
        finished = m;
    }
}
