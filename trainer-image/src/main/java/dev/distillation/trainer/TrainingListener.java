package dev.distillation.trainer;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.util.List;

/**
 * Receives a stage's progress. The trainer calls it from its training thread; implementations
 * must be quick (a progress bar, a log line). Every method has a no-op default.
 */
public interface TrainingListener {

    /**
     * Training is about to start (or resume).
     *
     * @param firstEpoch      1-based epoch training starts from (greater than 1 when resuming from a checkpoint)
     * @param totalEpochs     epochs the stage trains in all
     * @param batchesPerEpoch optimisation steps in one epoch
     */
    default void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {}

    /** One optimisation step finished: {@code batch} is 1-based within {@code epoch}. */
    default void onBatch(int epoch, long batch, long batchesPerEpoch, long samplesSeen) {}

    /** One epoch finished and was evaluated on the test split. */
    default void onEpoch(EpochResult result) {}

    /** The stage finished; {@code metrics} is what goes to the termination message. */
    default void onFinish(StageMetrics metrics) {}

    TrainingListener NONE = new TrainingListener() {};

    /** Tells every one of {@code listeners}, in order. */
    static TrainingListener all(TrainingListener... listeners) {
        List<TrainingListener> list = List.of(listeners);
        return new TrainingListener() {
            @Override
            public void onStart(StageJob job, int firstEpoch, int totalEpochs, long batchesPerEpoch) {
                list.forEach(l -> l.onStart(job, firstEpoch, totalEpochs, batchesPerEpoch));
            }

            @Override
            public void onBatch(int epoch, long batch, long batchesPerEpoch, long samplesSeen) {
                list.forEach(l -> l.onBatch(epoch, batch, batchesPerEpoch, samplesSeen));
            }

            @Override
            public void onEpoch(EpochResult result) {
                list.forEach(l -> l.onEpoch(result));
            }

            @Override
            public void onFinish(StageMetrics metrics) {
                list.forEach(l -> l.onFinish(metrics));
            }
        };
    }
}
