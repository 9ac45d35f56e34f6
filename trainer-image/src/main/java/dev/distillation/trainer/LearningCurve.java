package dev.distillation.trainer;

import ai.djl.Device;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.util.ArrayList;
import java.util.List;

/** A stage's epochs so far (restored from a checkpoint, then trained), and the final metrics they add up to. */
final class LearningCurve {

    private final List<EpochResult> epochs;

    LearningCurve(List<EpochResult> restored) {
        this.epochs = new ArrayList<>(restored);
    }

    void add(EpochResult epoch) {
        epochs.add(epoch);
    }

    /** The 1-based epoch training goes on from. */
    int nextEpoch() {
        return epochs.size() + 1;
    }

    List<EpochResult> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * The stage's final metrics (metrics.json's {@code final}, the termination message): the last epoch's
     * validation (when held out) and test loss and accuracy, the best test accuracy, the training time and throughput over all epochs.
     */
    StageMetrics finalMetrics(int totalEpochs, List<Device> devices, TeacherSignal.Mode teacher) {
        EpochResult last = epochs.get(epochs.size() - 1);
        double seconds = 0;
        double samples = 0;
        double best = 0;
        for (EpochResult r : epochs) {
            seconds += r.seconds();
            samples += r.samplesPerSecond() * r.seconds();
            best = Math.max(best, r.testAccuracy());
        }
        StageMetrics m = new StageMetrics();
        m.setValidationAccuracy(last.validationAccuracy());
        m.setValidationLoss(last.validationLoss());
        m.setTestAccuracy(last.testAccuracy());
        m.setTestLoss(last.testLoss());
        m.setBestTestAccuracy(best);
        m.setEpochs(totalEpochs);
        m.setTrainSeconds(round(seconds, 1));
        m.setSamplesPerSecond(round(seconds > 0 ? samples / seconds : 0, 1));
        m.setDevice(DataParallel.describe(devices));
        m.setTeacherLogits(teacher.value());
        return m;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
