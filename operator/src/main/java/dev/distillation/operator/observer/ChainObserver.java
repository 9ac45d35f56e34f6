package dev.distillation.operator.observer;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.managed.Labels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a chain's stage Pods and volumes from informer caches (never from the API server). The
 * informers watch only objects labelled {@value Labels#CHAIN}; an object maps to its chain by its
 * controller owner reference, else by that label (retained volumes have no owner).
 */
public final class ChainObserver {

    private ChainObserver() {}

    public static InformerEventSource<Pod, DistillationChain> podSource(EventSourceContext<DistillationChain> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, DistillationChain.class)
                .withName("stage-pods")
                .withLabelSelector(Labels.CHAIN)
                .withSecondaryToPrimaryMapper(ChainObserver.<Pod>toChain())
                .withNamespacesInheritedFromController()
                .build(), context);
    }

    public static InformerEventSource<PersistentVolumeClaim, DistillationChain> volumeSource(EventSourceContext<DistillationChain> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, DistillationChain.class)
                .withName("stage-volumes")
                .withLabelSelector(Labels.CHAIN)
                .withSecondaryToPrimaryMapper(ChainObserver.<PersistentVolumeClaim>toChain())
                .withNamespacesInheritedFromController()
                .build(), context);
    }

    /**
     * Warning events about Pods (field selector: the API server sends no others), mapped to the chain
     * of the stage Pod they are about, through the Pod informer's cache; events about other Pods map to
     * nothing. For the stage message of a Pod that cannot attach or mount its volumes.
     */
    public static InformerEventSource<Event, DistillationChain> podWarningSource(EventSourceContext<DistillationChain> context,
                                                                                InformerEventSource<Pod, DistillationChain> pods) {
        SecondaryToPrimaryMapper<Pod> podToChain = toChain();
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Event.class, DistillationChain.class)
                .withName("stage-pod-warnings")
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("involvedObject.kind", "Pod"),
                        new FieldSelector.Field("type", "Warning")))
                .withSecondaryToPrimaryMapper(event -> event.getInvolvedObject() == null ? Set.of()
                        : pods.get(new ResourceID(event.getInvolvedObject().getName(), event.getMetadata().getNamespace()))
                                .map(podToChain::toPrimaryResourceIDs).orElse(Set.of()))
                .withNamespacesInheritedFromController()
                .build(), context);
    }

    /** Owner reference to a DistillationChain first, else the chain label, in the object's namespace. */
    public static <R extends HasMetadata> SecondaryToPrimaryMapper<R> toChain() {
        return resource -> {
            String namespace = resource.getMetadata().getNamespace();
            if (resource.getMetadata().getOwnerReferences() != null) {
                for (OwnerReference ref : resource.getMetadata().getOwnerReferences()) {
                    if (DistillationChain.KIND.equals(ref.getKind()) && ref.getApiVersion() != null
                            && ref.getApiVersion().startsWith(DistillationChain.GROUP + "/")) {
                        return Set.of(new ResourceID(ref.getName(), namespace));
                    }
                }
            }
            String chain = resource.getMetadata().getLabels() == null ? null : resource.getMetadata().getLabels().get(Labels.CHAIN);
            return chain == null ? Set.of() : Set.of(new ResourceID(chain, namespace));
        };
    }

    public static ObservedChain observe(Context<DistillationChain> context, DistillationChain chain) {
        String name = chain.getMetadata().getName();
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream().filter(p -> belongs(p, name)).toList();
        List<PersistentVolumeClaim> volumes = context.getSecondaryResources(PersistentVolumeClaim.class).stream()
                .filter(v -> belongs(v, name)).toList();
        return ObservedChain.of(pods, volumes);
    }

    private static boolean belongs(HasMetadata r, String chain) {
        return r.getMetadata().getLabels() != null && Objects.equals(chain, r.getMetadata().getLabels().get(Labels.CHAIN));
    }
}
