package dev.distillation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.operator.metrics.StageSamples.Series;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChainStageGaugesTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final ChainStageGauges gauges = new ChainStageGauges(registry);

    /** Every per-stage series in the registry: "metric namespace/chain/stage" to its value. */
    Map<String, Double> series() {
        Map<String, Double> all = new TreeMap<>();
        for (var meter : registry.getMeters()) {
            if (meter instanceof Gauge g && meter.getId().getTag("stage") != null) {
                var id = meter.getId();
                all.put(id.getName() + " " + id.getTag("namespace") + "/" + id.getTag("chain") + "/" + id.getTag("stage"), g.value());
            }
        }
        return all;
    }

    @Test
    void seriesFollowTheChainsStagesAndGoWithTheChain() {
        gauges.update("ml", "a", Map.of(new Series(StageSamples.EPOCH_FRACTION, "teacher"), 0.25,
                new Series(StageSamples.SAMPLES_PER_SECOND, "teacher"), 900.0));
        gauges.update("ml", "b", Map.of(new Series(StageSamples.ACCURACY, "teacher"), 0.8));
        assertThat(series()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "distillation.stage.epoch.fraction ml/a/teacher", 0.25,
                "distillation.stage.samples.per.second ml/a/teacher", 900.0,
                "distillation.stage.accuracy ml/b/teacher", 0.8)));

        // The next epoch, then the teacher finishes and its student starts: progress goes, accuracy comes.
        gauges.update("ml", "a", Map.of(new Series(StageSamples.EPOCH_FRACTION, "teacher"), 0.5,
                new Series(StageSamples.SAMPLES_PER_SECOND, "teacher"), 950.0));
        assertThat(series()).containsEntry("distillation.stage.epoch.fraction ml/a/teacher", 0.5)
                .containsEntry("distillation.stage.samples.per.second ml/a/teacher", 950.0);
        gauges.update("ml", "a", Map.of(new Series(StageSamples.ACCURACY, "teacher"), 0.91,
                new Series(StageSamples.EPOCH_FRACTION, "student"), 0.0));
        assertThat(series()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "distillation.stage.accuracy ml/a/teacher", 0.91,
                "distillation.stage.epoch.fraction ml/a/student", 0.0,
                "distillation.stage.accuracy ml/b/teacher", 0.8)));

        gauges.forget("ml", "a");
        assertThat(series()).containsExactlyEntriesOf(Map.of("distillation.stage.accuracy ml/b/teacher", 0.8));
        gauges.forget("ml", "b");
        gauges.forget("ml", "never-seen");
        assertThat(series()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aChainDeletedAndCreatedAgainUnderItsNameStartsAfresh() {
        gauges.update("ml", "a", Map.of(new Series(StageSamples.ACCURACY, "teacher"), 0.9));
        gauges.forget("ml", "a");
        gauges.update("ml", "a", Map.of(new Series(StageSamples.EPOCH_FRACTION, "teacher"), 0.1));
        assertThat(series()).containsExactlyEntriesOf(Map.of("distillation.stage.epoch.fraction ml/a/teacher", 0.1));
    }
}
