package dev.distillation.operator.metrics;

import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
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
 *   <li>{@code distillation_handoff_latency_seconds}: histogram of a teacher stage's completion to its student's first Pod ({@link HandOff})</li>
 *   <li>{@code distillation_stage_accuracy{namespace,chain,stage}}: test accuracy of each Succeeded stage;
 *       {@code distillation_stage_epoch_fraction} and {@code distillation_stage_samples_per_second} (same labels): the
 *       progress of each Running stage whose trainer answers ({@link StageSamples}). These series exist only while
 *       their chain does ({@link ChainStageGauges})</li>
 *   <li>{@code distillation_reconcile_duration_seconds}: time per reconcile; {@code distillation_reconcile_errors_total}</li>
 * </ul>
 * The operator SDK adds its own (JOSDK's Micrometer metrics, v2): {@code reconciliations_started_total},
 * {@code reconciliations_success_total}, {@code reconciliations_failure_total}, {@code reconciliations_retries_total},
 * {@code reconciliations_active}, {@code reconciliations_queue}, {@code reconciliations_execution_duration_seconds},
 * {@code events_received_total}, {@code custom_resources}, labelled by controller.
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
    public static final String HANDOFF_LATENCY = "distillation.handoff.latency";

    private final MeterRegistry registry;
    private final AtomicReference<Supplier<Stream<DistillationChain>>> chains = new AtomicReference<>(Stream::empty);
    private final Counter started;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter errors;
    private final Timer reconcile;
    private final Timer stageDuration;
    private final Timer handOff;
    private final ChainStageGauges stageGauges;

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
        handOff = Timer.builder(HANDOFF_LATENCY).description("Teacher stage completion to its student's first Pod")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        stageGauges = new ChainStageGauges(registry);
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

    public void handedOff(Duration latency) { handOff.record(latency); }

    /** Sets the chain's per-stage gauges to what the status it is about to show says. */
    public void stagesOf(String namespace, String chain, List<StageStatus> stages) {
        stageGauges.update(namespace, chain, StageSamples.of(stages));
    }

    /** Removes the chain's per-stage series. */
    public void chainDeleted(String namespace, String chain) {
        stageGauges.forget(namespace, chain);
    }

    public void reconcileError() { errors.increment(); }

    public Timer.Sample startReconcile() { return Timer.start(registry); }

    public void endReconcile(Timer.Sample sample) { sample.stop(reconcile); }
}
