package dev.distillation.operator.reconciler;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.decision.Plan;
import dev.distillation.operator.decision.StageEvent;
import dev.distillation.operator.events.ChainEvents;
import dev.distillation.operator.managed.StageAnnotations;
import dev.distillation.operator.metrics.HandOff;
import dev.distillation.operator.metrics.OperatorMetrics;
import dev.distillation.operator.refusal.Refusal;
import dev.distillation.operator.refusal.RefusalMemory;
import dev.distillation.operator.resources.StagePodBuilder;
import dev.distillation.operator.resources.StageVolumeBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Carries out a {@link Plan}: deletes stale Pods, creates each launched stage's Pod and then, when
 * missing, its volume, records results and lost Pods on volumes, records events and counts what
 * happened in the metrics. Creates go through the SDK's resource operations, so the next reconcile
 * sees them even before the informer does; names are deterministic, so a create that races an
 * earlier one fails with a conflict and is ignored.
 *
 * <p>When the API server refuses a Pod or volume (a 4xx other than a conflict), nothing is thrown:
 * the refusal is remembered ({@link RefusalMemory}), told in a Warning event, and the stage waits
 * for its next try. The Pod is created before the volume, and deleted again when the volume is
 * refused, so a refusal leaves nothing half-created behind.
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
    @Inject
    RefusalMemory refusals;

    /** @return whether the API server refused a Pod or volume of this plan */
    public boolean apply(Plan plan, DistillationChain chain, Context<DistillationChain> context, Instant now) {
        return apply(plan, chain, chain, context, now);
    }

    /**
     * {@code effective}: the chain the plan was made for ({@link dev.distillation.operator.decision.CandidateExpansion}),
     * whose stages the Pods train; volumes and events belong to {@code chain}, as written.
     *
     * @return whether the API server refused a Pod or volume of this plan
     */
    public boolean apply(Plan plan, DistillationChain chain, DistillationChain effective, Context<DistillationChain> context, Instant now) {
        String namespace = chain.getMetadata().getNamespace();
        for (String pod : plan.podsToDelete()) {
            LOG.infof("chain %s/%s: deleting stale pod %s (its stage's spec changed)", namespace, chain.getMetadata().getName(), pod);
            context.getClient().pods().inNamespace(namespace).withName(pod).delete();
        }
        Set<String> refusedPods = new HashSet<>();
        for (Plan.Launch launch : plan.launches()) {
            Pod pod = StagePodBuilder.build(effective, launch.stage(), launch.fingerprint(), launch.attempt(), launch.node(),
                    settings.values());
            Optional<Refusal> refusal = launch(context, chain, launch, pod, plan.volumesToCreate().contains(launch.stage()),
                    HandOff.latency(chain, plan.stages(), launch, now));
            if (refusal.isPresent()) {
                refusedPods.add(pod.getMetadata().getName());
                RefusalMemory.Entry entry = refusals.refused(chain.getMetadata().getUid(), launch.stage(), launch.fingerprint(), refusal.get(), now);
                LOG.infof("chain %s/%s: stage %s: %s; next try at %s", namespace, chain.getMetadata().getName(), launch.stage(),
                        refusal.get().describe(), entry.retryAt());
                events.record(context.getClient(), chain, StageEvent.refused(launch.stage(), pod.getMetadata().getName(),
                        "stage " + launch.stage() + ": " + refusal.get().describe()));
                continue;
            }
            refusals.created(chain.getMetadata().getUid(), launch.stage());
        }
        for (Plan.ResultRecord record : plan.results()) {
            annotate(context, namespace, record.volume(), StageAnnotations.ofResult(record.result()));
            metrics.stageSucceeded(record.result().durationSeconds());
        }
        for (Plan.DisruptionRecord record : plan.disruptions()) {
            annotate(context, namespace, record.volume(), StageAnnotations.ofDisruptedPods(record.fingerprint(), record.pods()));
        }
        for (StageEvent event : plan.events()) {
            if (refusedPods.stream().anyMatch(pod -> event.key().startsWith(pod + "."))) {
                continue; // StageStarted / StageRetrying of a Pod that does not exist
            }
            boolean recorded = events.record(context.getClient(), chain, event);
            if (recorded && StageEvent.FAILED.equals(event.reason())) {
                metrics.stageFailed();
            }
        }
        return !refusedPods.isEmpty();
    }

    /** Creates the Pod, then the volume when it is missing; the refusal, if the API server refused either. */
    private Optional<Refusal> launch(Context<DistillationChain> context, DistillationChain chain, Plan.Launch launch, Pod pod,
                                     boolean createVolume, Optional<Duration> handOff) {
        String name = pod.getMetadata().getName();
        boolean created;
        try {
            created = createIgnoringConflict(context, pod);
        } catch (KubernetesClientException e) {
            return refusal(e, Refusal.POD, name);
        }
        if (createVolume) {
            var volume = StageVolumeBuilder.build(chain, launch.stage());
            try {
                createIgnoringConflict(context, volume);
            } catch (KubernetesClientException e) {
                Optional<Refusal> refusal = refusal(e, Refusal.VOLUME, volume.getMetadata().getName());
                if (refusal.isPresent() && created) {
                    context.getClient().pods().inNamespace(chain.getMetadata().getNamespace()).withName(name).delete();
                }
                return refusal;
            }
        }
        if (created) {
            LOG.infof("chain %s/%s: started stage %s as pod %s", chain.getMetadata().getNamespace(), chain.getMetadata().getName(),
                    launch.stage(), name);
            metrics.stageStarted();
            handOff.ifPresent(metrics::handedOff);
            if (launch.retryReason() != null) {
                metrics.stageRetried(launch.retryReason().name());
            }
        }
        return Optional.empty();
    }

    /** A refusal for a 4xx answer; anything else (the server failing, the network) is thrown for the SDK to retry. */
    private static Optional<Refusal> refusal(KubernetesClientException e, String object, String name) {
        if (e.getCode() < 400 || e.getCode() >= 500) {
            throw e;
        }
        return Optional.of(Refusal.of(object, name, e.getCode(), e.getStatus(), e.getMessage()));
    }

    private static void annotate(Context<DistillationChain> context, String namespace, String volume, Map<String, String> annotations) {
        context.getClient().persistentVolumeClaims().inNamespace(namespace).withName(volume)
                .edit(pvc -> new PersistentVolumeClaimBuilder(pvc).editMetadata().addToAnnotations(annotations).endMetadata().build());
    }

    /** @return true when created now, false when an object of that name already existed */
    private static <R extends HasMetadata> boolean createIgnoringConflict(Context<DistillationChain> context, R resource) {
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
