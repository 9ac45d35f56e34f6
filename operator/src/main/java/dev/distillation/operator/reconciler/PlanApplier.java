package dev.distillation.operator.reconciler;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.decision.Plan;
import dev.distillation.operator.decision.StageEvent;
import dev.distillation.operator.events.ChainEvents;
import dev.distillation.operator.managed.StageAnnotations;
import dev.distillation.operator.metrics.OperatorMetrics;
import dev.distillation.operator.resources.StagePodBuilder;
import dev.distillation.operator.resources.StageVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Carries out a {@link Plan}: creates the missing volumes and Pods, deletes stale Pods, records
 * results on volumes, records events and counts what happened in the metrics. Creates go through
 * the SDK's resource operations, so the next reconcile sees them even before the informer does;
 * names are deterministic, so a create that races an earlier one fails with a conflict and is ignored.
 */
@ApplicationScoped
public class PlanApplier {

    private static final Logger LOG = Logger.getLogger(PlanApplier.class);

    @Inject
    OperatorSettings settings;
    @Inject
    ChainEvents events;
    @Inject
    OperatorMetrics metrics;

    public void apply(Plan plan, DistillationChain chain, Context<DistillationChain> context) {
        String namespace = chain.getMetadata().getNamespace();
        for (String pod : plan.podsToDelete()) {
            LOG.infof("chain %s/%s: deleting stale pod %s (its stage's spec changed)", namespace, chain.getMetadata().getName(), pod);
            context.getClient().pods().inNamespace(namespace).withName(pod).delete();
        }
        for (String stage : plan.volumesToCreate()) {
            createIgnoringConflict(context, StageVolumeBuilder.build(chain, stage));
        }
        for (Plan.Launch launch : plan.launches()) {
            Pod pod = StagePodBuilder.build(chain, launch.stage(), launch.fingerprint(), launch.attempt(), settings.values());
            if (createIgnoringConflict(context, pod)) {
                LOG.infof("chain %s/%s: started stage %s as pod %s", namespace, chain.getMetadata().getName(),
                        launch.stage(), pod.getMetadata().getName());
                metrics.stageStarted();
                if (launch.retryReason() != null) {
                    metrics.stageRetried(launch.retryReason().name());
                }
            }
        }
        for (Plan.ResultRecord record : plan.results()) {
            Map<String, String> annotations = StageAnnotations.ofResult(record.result());
            context.getClient().persistentVolumeClaims().inNamespace(namespace).withName(record.volume())
                    .edit(pvc -> new PersistentVolumeClaimBuilder(pvc).editMetadata().addToAnnotations(annotations).endMetadata().build());
            metrics.stageSucceeded(record.result().durationSeconds());
        }
        for (StageEvent event : plan.events()) {
            boolean recorded = events.record(context.getClient(), chain, event);
            if (recorded && StageEvent.FAILED.equals(event.reason())) {
                metrics.stageFailed();
            }
        }
    }

    /** @return true when created now, false when an object of that name already existed */
    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> boolean createIgnoringConflict(
            Context<DistillationChain> context, R resource) {
        try {
            context.resourceOperations().create(resource);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }
}
