package dev.distillation.operator.metrics;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.api.v1alpha1.StageStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the per-stage gauges of one chain show, read from the status the operator is about to
 * write: the test accuracy of each Succeeded stage, and the epoch fraction and images per second
 * of each Running stage whose trainer reported progress. A stage in any other phase, or without
 * the reading, has no sample, so its series disappears.
 */
public final class StageSamples {

    public static final String ACCURACY = "distillation.stage.accuracy";
    public static final String EPOCH_FRACTION = "distillation.stage.epoch.fraction";
    public static final String SAMPLES_PER_SECOND = "distillation.stage.samples.per.second";

    /** The help text of each gauge. */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            ACCURACY, "Test accuracy of a Succeeded stage",
            EPOCH_FRACTION, "Epochs done / epochs of a Running stage, as its trainer reports it",
            SAMPLES_PER_SECOND, "Images per second of a Running stage's last epoch");

    /** One series of a chain: a gauge name and the stage it is about. */
    public record Series(String metric, String stage) {}

    private StageSamples() {}

    public static Map<Series, Double> of(List<StageStatus> stages) {
        Map<Series, Double> samples = new LinkedHashMap<>();
        for (StageStatus st : stages == null ? List.<StageStatus>of() : stages) {
            if (st.getPhase() == StagePhase.Succeeded && st.getMetrics() != null && st.getMetrics().getTestAccuracy() != null) {
                samples.put(new Series(ACCURACY, st.getName()), st.getMetrics().getTestAccuracy());
            }
            StageProgress p = st.getProgress();
            if (st.getPhase() == StagePhase.Running && p != null) {
                if (p.getEpoch() != null && p.getEpochs() != null && p.getEpochs() > 0) {
                    samples.put(new Series(EPOCH_FRACTION, st.getName()), Math.min(1.0, (double) p.getEpoch() / p.getEpochs()));
                }
                if (p.getSamplesPerSecond() != null) {
                    samples.put(new Series(SAMPLES_PER_SECOND, st.getName()), p.getSamplesPerSecond());
                }
            }
        }
        return samples;
    }
}
