package dev.distillation.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-stage gauges ({@link StageSamples}) of every chain, labelled namespace, chain and stage.
 * The number of series is bounded by the chains that exist: a chain's series are set on each of its
 * reconciles (a series whose sample is gone, e.g. progress once the stage finished, is removed) and
 * all removed when the chain is deleted ({@link #forget}).
 */
final class ChainStageGauges {

    record ChainKey(String namespace, String chain) {}

    /** A gauge's current value; the gauge reads it at scrape time. */
    static final class Value {
        volatile double value;
    }

    private record Registered(Gauge gauge, Value value) {}

    private final MeterRegistry registry;
    private final Map<ChainKey, Map<StageSamples.Series, Registered>> chains = new ConcurrentHashMap<>();

    ChainStageGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void update(String namespace, String chain, Map<StageSamples.Series, Double> samples) {
        chains.compute(new ChainKey(namespace, chain), (key, old) -> {
            Map<StageSamples.Series, Registered> now = new HashMap<>();
            for (var sample : samples.entrySet()) {
                Registered r = old == null ? null : old.remove(sample.getKey());
                if (r == null) {
                    Value value = new Value();
                    Gauge gauge = Gauge.builder(sample.getKey().metric(), value, v -> v.value)
                            .description(StageSamples.DESCRIPTIONS.get(sample.getKey().metric()))
                            .tag("namespace", namespace).tag("chain", chain).tag("stage", sample.getKey().stage())
                            .strongReference(true).register(registry);
                    r = new Registered(gauge, value);
                }
                r.value().value = sample.getValue();
                now.put(sample.getKey(), r);
            }
            if (old != null) {
                old.values().forEach(r -> registry.remove(r.gauge()));
            }
            return now.isEmpty() ? null : now;
        });
    }

    void forget(String namespace, String chain) {
        update(namespace, chain, Map.of());
    }
}
