package dev.distillation.operator.reconciler;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.decision.CandidatePlanner;
import dev.distillation.operator.decision.StageEvent;
import dev.distillation.operator.decision.VolumeTrouble;
import dev.distillation.operator.events.ChainEvents;
import dev.distillation.operator.metrics.OperatorMetrics;
import dev.distillation.operator.observer.ChainObserver;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.progress.LiveProgress;
import dev.distillation.operator.progress.ProgressEventSource;
import dev.distillation.operator.progress.ProgressReading;
import dev.distillation.operator.refusal.RefusalMemory;
import dev.distillation.operator.status.StatusAggregator;
import dev.distillation.operator.status.StatusAggregator.InvalidReason;
import io.fabric8.kubernetes.api.model.Event;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.Timer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs DistillationChains. One reconcile: observe (the chain's Pods and volumes from informer
 * caches) → validate (the CRD's rules again, and the operator's policy) → decide (the pure
 * {@link dev.distillation.operator.decision.ChainPlanner}, through the {@link CandidatePlanner} for stages that list
 * candidates) → apply ({@link PlanApplier}) → record status ({@link StatusAggregator},
 * written only when it changed, by {@link StatusWriter}). The spec is never written.
 *
 * <p>Informer events wake it; a stage whose Pod or volume the API server refused is woken again
 * when its next try is due ({@link RefusalMemory}). The periodic pass every {@value #RESYNC_MINUTES}
 * minutes is a safety net only, for an event lost on the way (a watch that broke and relisted).
 */
@ControllerConfiguration(name = DistillationChainReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = DistillationChainReconciler.RESYNC_MINUTES,
                timeUnit = TimeUnit.MINUTES))
public class DistillationChainReconciler implements Reconciler<DistillationChain> {

    public static final String NAME = "distillationchain";
    /** The safety-net resync interval (docs/operating.md, "Troubleshooting"). */
    public static final int RESYNC_MINUTES = 5;
    private static final Logger LOG = Logger.getLogger(DistillationChainReconciler.class);

    @Inject
    PlanApplier applier;
    @Inject
    RefusalMemory refusals;
    @Inject
    ChainEvents events;
    @Inject
    OperatorMetrics metrics;
    @Inject
    OperatorSettings settings;

    private final StatusWriter statusWriter = new StatusWriter();
    Clock clock = Clock.systemUTC();
    /** Whether the trainers' progress is read ({@code distillation.progress.interval} above 0). */
    private boolean readsProgress;

    @Override
    public List<EventSource<?, DistillationChain>> prepareEventSources(EventSourceContext<DistillationChain> context) {
        metrics.watchChains(() -> context.getPrimaryCache().list());
        var pods = ChainObserver.podSource(context);
        List<EventSource<?, DistillationChain>> sources = new ArrayList<>(List.of(pods, ChainObserver.volumeSource(context),
                ChainObserver.podWarningSource(context, pods), new ChainDeletions(chain -> {
                    metrics.chainDeleted(chain.getMetadata().getNamespace(), chain.getMetadata().getName());
                    statusWriter.forget(chain);
                })));
        Duration interval = settings.progress().interval();
        readsProgress = !interval.isZero() && !interval.isNegative();
        if (readsProgress) {
            sources.add(ProgressEventSource.create(context, pods, interval, settings.progress().timeout()));
        }
        return sources;
    }

    @Override
    public UpdateControl<DistillationChain> reconcile(DistillationChain chain, Context<DistillationChain> context) {
        Timer.Sample sample = metrics.startReconcile();
        try {
            Instant now = clock.instant();
            List<ValidationError> errors = ChainValidator.validate(chain);
            InvalidReason reason = InvalidReason.InvalidSpec;
            if (errors.isEmpty()) {
                errors = settings.chainPolicy().check(chain);
                reason = InvalidReason.PolicyViolation;
            }
            if (!errors.isEmpty()) {
                statusWriter.write(chain, StatusAggregator.invalid(chain, errors, reason, now), context);
                metrics.stagesOf(chain.getMetadata().getNamespace(), chain.getMetadata().getName(), List.of());
                String message = errors.stream().map(ValidationError::toString).collect(Collectors.joining("; "));
                Long generation = chain.getMetadata().getGeneration();
                events.record(context.getClient(), chain, reason == InvalidReason.InvalidSpec
                        ? StageEvent.invalidSpec(generation, message) : StageEvent.policyViolation(generation, message));
                LOG.infof("chain %s/%s is invalid (%s): %s", chain.getMetadata().getNamespace(), chain.getMetadata().getName(), reason, message);
                return UpdateControl.noUpdate();
            }
            ObservedChain observed = ChainObserver.observe(context, chain);
            CandidatePlanner.Result planned = CandidatePlanner.plan(chain, observed, fps -> refusals.held(chain, fps, now), now);
            DistillationChain effective = planned.expansion().effective();
            if (applier.apply(planned.plan(), chain, effective, context, now)) {
                // The same cluster, with the refused stages held: the status of what was really created.
                planned = CandidatePlanner.plan(chain, observed, fps -> refusals.held(chain, fps, now), now);
            }
            Map<String, String> fingerprints = planned.fingerprints();
            List<StageStatus> trained = LiveProgress.attach(
                    VolumeTrouble.attach(planned.plan().stages(), context.getSecondaryResources(Event.class)),
                    readsProgress ? context.getSecondaryResources(ProgressReading.class) : Set.of());
            List<StageStatus> stages = planned.fold(chain, trained);
            List<ValidationError> refusedSpec = refusals.specErrors(chain, fingerprints);
            DistillationChainStatus status;
            if (refusedSpec.isEmpty()) {
                status = StatusAggregator.aggregate(chain, stages, now);
                // The Training column names each training candidate too (a stage's row folds its candidates).
                status.setTraining(LiveProgress.summary(trained));
            } else {
                status = StatusAggregator.refused(chain, stages, refusedSpec, now);
            }
            statusWriter.write(chain, status, context);
            if (context.getPrimaryCache().get(ResourceID.fromResource(chain)).isPresent()) { // not deleted meanwhile
                metrics.stagesOf(chain.getMetadata().getNamespace(), chain.getMetadata().getName(), stages);
            }
            Duration wake = refusals.nextTry(chain, fingerprints, now);
            return wake == null ? UpdateControl.noUpdate() : UpdateControl.<DistillationChain>noUpdate().rescheduleAfter(wake);
        } finally {
            metrics.endReconcile(sample);
        }
    }

    @Override
    public ErrorStatusUpdateControl<DistillationChain> updateErrorStatus(DistillationChain chain, Context<DistillationChain> context,
                                                                         Exception e) {
        metrics.reconcileError();
        LOG.warnf(e, "reconcile of chain %s/%s failed; retrying", chain.getMetadata().getNamespace(), chain.getMetadata().getName());
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
}
