package dev.distillation.operator.reconciler;

import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.decision.ChainPlanner;
import dev.distillation.operator.decision.Plan;
import dev.distillation.operator.decision.StageEvent;
import dev.distillation.operator.events.ChainEvents;
import dev.distillation.operator.metrics.OperatorMetrics;
import dev.distillation.operator.observer.ChainObserver;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs DistillationChains. One reconcile: observe (the chain's Pods and volumes from informer
 * caches) → validate → decide (the pure {@link ChainPlanner}) → apply ({@link PlanApplier}) →
 * record status ({@link StatusAggregator}, patched only when it changed). The spec is never written.
 */
// The periodic reconcile heals an event that was missed or read stale: in two of three full e2e
// runs a spec.suspend edit sent while the operator was starting the chain's first Pod was not
// reconciled within a minute (the cause is not pinned down). Reconciling is idempotent and patches
// status only when it changed, so a spare pass costs a plan computation.
@ControllerConfiguration(name = DistillationChainReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 20, timeUnit = TimeUnit.SECONDS))
public class DistillationChainReconciler implements Reconciler<DistillationChain> {

    public static final String NAME = "distillationchain";
    private static final Logger LOG = Logger.getLogger(DistillationChainReconciler.class);

    @Inject
    PlanApplier applier;
    @Inject
    ChainEvents events;
    @Inject
    OperatorMetrics metrics;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, DistillationChain>> prepareEventSources(EventSourceContext<DistillationChain> context) {
        metrics.watchChains(() -> context.getPrimaryCache().list());
        return ChainObserver.eventSources(context);
    }

    @Override
    public UpdateControl<DistillationChain> reconcile(DistillationChain chain, Context<DistillationChain> context) {
        Timer.Sample sample = metrics.startReconcile();
        try {
            Instant now = clock.instant();
            List<ValidationError> errors = ChainValidator.validate(chain);
            DistillationChainStatus status;
            if (!errors.isEmpty()) {
                status = StatusAggregator.invalid(chain, errors, now);
                String message = errors.stream().map(ValidationError::toString).collect(Collectors.joining("; "));
                events.record(context.getClient(), chain, StageEvent.invalidSpec(chain.getMetadata().getGeneration(), message));
                LOG.infof("chain %s/%s is invalid: %s", chain.getMetadata().getNamespace(), chain.getMetadata().getName(), message);
            } else {
                ObservedChain observed = ChainObserver.observe(context, chain);
                Plan plan = ChainPlanner.plan(chain, Fingerprints.of(chain.getSpec()), observed, now);
                applier.apply(plan, chain, context);
                status = StatusAggregator.aggregate(chain, plan.stages(), now);
            }
            return record(chain, status);
        } finally {
            metrics.endReconcile(sample);
        }
    }

    /**
     * Patches status only when it changed. The patch carries only name, namespace and status, so
     * under server-side apply the operator owns status fields and nothing of the user's spec.
     */
    static UpdateControl<DistillationChain> record(DistillationChain chain, DistillationChainStatus status) {
        if (status.equals(chain.getStatus())) {
            return UpdateControl.noUpdate();
        }
        DistillationChain patch = new DistillationChain();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(chain.getMetadata().getName())
                .withNamespace(chain.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return UpdateControl.patchStatus(patch);
    }

    @Override
    public ErrorStatusUpdateControl<DistillationChain> updateErrorStatus(DistillationChain chain, Context<DistillationChain> context,
                                                                         Exception e) {
        metrics.reconcileError();
        LOG.warnf(e, "reconcile of chain %s/%s failed; retrying", chain.getMetadata().getNamespace(), chain.getMetadata().getName());
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
}
