package dev.distillation.operator.metrics;

import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's Prometheus metrics (served at /q/metrics). Micrometer names below; Prometheus
 * writes dots as underscores and adds _total to counters and _seconds to timers:
 * <ul>
 *   <li>{@code distillation_chains{phase}}: chains the operator sees, by status.phase</li>
 *   <li>{@code distillation_stages_started_total}, {@code distillation_stages_succeeded_total},
 *       {@code distillation_stages_failed_total}: stage Pods started, stages succeeded, stages failed for good</li>
 *   <li>{@code distillation_stage_retries_total{reason}}: new attempts, reason TrainerFailure or Disruption</li>
 *   <li>{@code distillation_stage_duration_seconds}: histogram of succeeded stages' first start to completion</li>
 *   <li>{@code distillation_reconcile_duration_seconds}: time per reconcile; {@code distillation_reconcile_errors_total}</li>
 * </ul>
 */
@ApplicationScoped
public class OperatorMetrics {

    public static final String CHAINS = "distillation.chains";
    public static final String STAGES_STARTED = "distillation.stages.started";
    public static final String STAGES_SUCCEEDED = "distillation.stages.succeeded";
    public static final String STAGES_FAILED = "distillation.stages.failed";
    public static final String STAGE_RETRIES = "distillation.stage.retries";
    public static final String STAGE_DURATION = "distillation.stage.duration";
    public static final String RECONCILE_DURATION = "distillation.reconcile.duration";
    public static final String RECONCILE_ERRORS = "distillation.reconcile.errors";

    private final MeterRegistry registry;
    private final AtomicReference<Supplier<Stream<DistillationChain>>> chains = new AtomicReference<>(Stream::empty);
    private final Counter started;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter errors;
    private final Timer reconcile;
    private final Timer stageDuration;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ChainPhase phase : ChainPhase.values()) {
            Gauge.builder(CHAINS, this, m -> m.count(phase))
                    .description("DistillationChains by status.phase").tag("phase", phase.name()).register(registry);
        }
        started = Counter.builder(STAGES_STARTED).description("Stage Pods created").register(registry);
        succeeded = Counter.builder(STAGES_SUCCEEDED).description("Stages that succeeded").register(registry);
        failed = Counter.builder(STAGES_FAILED).description("Stages that failed after their retries").register(registry);
        errors = Counter.builder(RECONCILE_ERRORS).description("Reconciles that ended with an error").register(registry);
        for (String reason : new String[] {"TrainerFailure", "Disruption"}) {
            Counter.builder(STAGE_RETRIES).description("New attempts of a stage").tag("reason", reason).register(registry);
        }
        reconcile = Timer.builder(RECONCILE_DURATION).description("Time spent in one reconcile of a chain").register(registry);
        stageDuration = Timer.builder(STAGE_DURATION).description("Stage run time, first Pod creation to completion")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(7))
                .register(registry);
    }

    /** Where the chain gauge reads chains from: the controller's primary cache. */
    public void watchChains(Supplier<Stream<DistillationChain>> source) {
        chains.set(source);
    }

    private double count(ChainPhase phase) {
        return chains.get().get().filter(c -> c.getStatus() != null && c.getStatus().getPhase() == phase).count();
    }

    public void stageStarted() { started.increment(); }

    public void stageRetried(String reason) {
        registry.counter(STAGE_RETRIES, "reason", reason).increment();
    }

    public void stageSucceeded(Double seconds) {
        succeeded.increment();
        if (seconds != null && seconds >= 0) {
            stageDuration.record(Duration.ofMillis((long) (seconds * 1000)));
        }
    }

    public void stageFailed() { failed.increment(); }

    public void reconcileError() { errors.increment(); }

    public Timer.Sample startReconcile() { return Timer.start(registry); }

    public void endReconcile(Timer.Sample sample) { sample.stop(reconcile); }
}
