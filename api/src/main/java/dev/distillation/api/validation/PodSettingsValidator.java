package dev.distillation.api.validation;

import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.AccessMode;
import dev.distillation.api.v1alpha1.StorageSpec;
import dev.distillation.api.v1alpha1.TaintEffect;
import dev.distillation.api.v1alpha1.TolerationOperator;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.v1alpha1.TrainerSpec;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The rules of {@code spec.trainer} and {@code spec.storage}: every value the operator copies into
 * a stage's Pod or volume is one Kubernetes accepts there. The same rules as the CRD's schema and
 * CEL (with the same messages), so {@code distill run} refuses what {@code kubectl apply} refuses.
 */
final class PodSettingsValidator {

    private final BiConsumer<String, String> error;

    PodSettingsValidator(BiConsumer<String, String> error) {
        this.error = error;
    }

    void trainer(TrainerSpec trainer) {
        if (trainer == null) {
            return;
        }
        String path = "spec.trainer";
        if (trainer.getImage() != null && !KubernetesSyntax.isImageReference(trainer.getImage())) {
            error.accept(path + ".image", TrainerSpec.IMAGE_MESSAGE + " (found '" + trainer.getImage() + "')");
        }
        resources(path + ".resources", trainer.getResources());
        nodeSelector(path + ".nodeSelector", trainer.getNodeSelector());
        tolerations(path + ".tolerations", trainer.getTolerations());
        if (trainer.getPriorityClassName() != null && !KubernetesSyntax.isDnsSubdomain(trainer.getPriorityClassName())) {
            error.accept(path + ".priorityClassName", TrainerSpec.PRIORITY_CLASS_MESSAGE + " (found '" + trainer.getPriorityClassName() + "')");
        }
    }

    void storage(StorageSpec storage) {
        if (storage == null) {
            return;
        }
        if (storage.getSize() != null && !KubernetesSyntax.isPositiveQuantity(storage.getSize())) {
            error.accept("spec.storage.size", StorageSpec.SIZE_MESSAGE + " (found '" + storage.getSize() + "')");
        }
        if (storage.getStorageClassName() != null && !KubernetesSyntax.isDnsSubdomain(storage.getStorageClassName())) {
            error.accept("spec.storage.storageClassName", StorageSpec.STORAGE_CLASS_MESSAGE + " (found '" + storage.getStorageClassName() + "')");
        }
        List<AccessMode> modes = storage.getAccessModes();
        if (modes != null && !modes.isEmpty() && modes.stream().noneMatch(m -> m != null && m.writable())) {
            error.accept("spec.storage.accessModes", StorageSpec.ACCESS_MODES_MESSAGE + " (found " + modes + ")");
        }
    }

    private void resources(String path, ResourcesSpec resources) {
        if (resources == null) {
            return;
        }
        if (resources.getCpu() != null && !KubernetesSyntax.isPositiveQuantity(resources.getCpu())) {
            error.accept(path + ".cpu", ResourcesSpec.CPU_MESSAGE + " (found '" + resources.getCpu() + "')");
        }
        if (resources.getMemory() != null && !KubernetesSyntax.isPositiveQuantity(resources.getMemory())) {
            error.accept(path + ".memory", ResourcesSpec.MEMORY_MESSAGE + " (found '" + resources.getMemory() + "')");
        }
    }

    private void nodeSelector(String path, Map<String, String> selector) {
        if (selector == null) {
            return;
        }
        if (selector.size() > Bounds.NODE_SELECTOR_MAX) {
            error.accept(path, "at most " + Bounds.NODE_SELECTOR_MAX + " entries (found " + selector.size() + ")");
        }
        selector.forEach((key, value) -> {
            if (!KubernetesSyntax.isQualifiedName(key)) {
                error.accept(path, TrainerSpec.NODE_SELECTOR_KEY_MESSAGE + " (found '" + key + "')");
            }
            if (!KubernetesSyntax.isLabelValue(value)) {
                error.accept(path + "." + key, TrainerSpec.NODE_SELECTOR_VALUE_MESSAGE + " (found '" + value + "')");
            }
        });
    }

    private void tolerations(String path, List<TolerationSpec> tolerations) {
        if (tolerations == null) {
            return;
        }
        if (tolerations.size() > Bounds.TOLERATIONS_MAX) {
            error.accept(path, "at most " + Bounds.TOLERATIONS_MAX + " tolerations (found " + tolerations.size() + ")");
        }
        for (int i = 0; i < tolerations.size(); i++) {
            TolerationSpec t = tolerations.get(i);
            String at = path + "[" + i + "]";
            if (t == null) {
                error.accept(at, "must be a toleration object");
                continue;
            }
            boolean emptyKey = t.getKey() == null || t.getKey().isEmpty();
            boolean exists = t.getOperator() == TolerationOperator.EXISTS;
            if (emptyKey && !exists) {
                error.accept(at, TolerationSpec.EMPTY_KEY_MESSAGE);
            }
            if (exists && t.getValue() != null && !t.getValue().isEmpty()) {
                error.accept(at, TolerationSpec.EXISTS_VALUE_MESSAGE);
            }
            if (t.getTolerationSeconds() != null && t.getEffect() != TaintEffect.NO_EXECUTE) {
                error.accept(at, TolerationSpec.SECONDS_MESSAGE);
            }
            if (!emptyKey && !KubernetesSyntax.isQualifiedName(t.getKey())) {
                error.accept(at, TolerationSpec.KEY_MESSAGE + " (found '" + t.getKey() + "')");
            }
            if (t.getValue() != null && !KubernetesSyntax.isLabelValue(t.getValue())) {
                error.accept(at, TolerationSpec.VALUE_MESSAGE + " (found '" + t.getValue() + "')");
            }
        }
    }
}
