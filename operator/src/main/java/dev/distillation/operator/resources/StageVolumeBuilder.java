package dev.distillation.operator.resources;

import dev.distillation.api.graph.Candidates;
import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.AccessMode;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StorageSpec;
import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.managed.ObjectNames;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.List;
import java.util.Map;

/** What a stage's checkpoint volume looks like. Pure: no client, no clock. */
public final class StageVolumeBuilder {

    private StageVolumeBuilder() {}

    public static PersistentVolumeClaim build(DistillationChain chain, String stage) {
        StorageSpec storage = storage(chain);
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                    .withName(ObjectNames.volume(chain.getMetadata().getName(), stage))
                    .withNamespace(chain.getMetadata().getNamespace())
                    .withLabels(Labels.forStage(chain, stage, "checkpoint"))
                    .withOwnerReferences(ownedByChain(chain, stage) ? List.of(ownerReference(chain)) : List.of())
                .endMetadata()
                .withNewSpec()
                    .withAccessModes(storage.effectiveAccessModes().stream().map(AccessMode::value).toList())
                    .withStorageClassName(storage.getStorageClassName())
                    .withNewResources()
                        .withRequests(Map.of("storage", storage.effectiveSize()))
                    .endResources()
                .endSpec()
                .build();
    }

    /**
     * Whether the volume is garbage-collected with the chain: {@code retain: None} → all are,
     * {@code Final} → all but the leaves (stages no other stage learns from), {@code All} → none. A candidate's
     * volume goes with the stage that lists it: all of a leaf's candidates are kept.
     */
    static boolean ownedByChain(DistillationChain chain, String stage) {
        return switch (storage(chain).effectiveRetain()) {
            case NONE -> true;
            case FINAL -> !StageGraph.of(chain.getSpec()).leaves().contains(Candidates.stageOf(chain.getSpec(), stage));
            case ALL -> false;
        };
    }

    private static StorageSpec storage(DistillationChain chain) {
        return chain.getSpec().getStorage() == null ? new StorageSpec() : chain.getSpec().getStorage();
    }

    public static OwnerReference ownerReference(DistillationChain chain) {
        return new OwnerReferenceBuilder()
                .withApiVersion(DistillationChain.API_VERSION)
                .withKind(DistillationChain.KIND)
                .withName(chain.getMetadata().getName())
                .withUid(chain.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
