package dev.distillation.operator.observer;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import dev.distillation.operator.resources.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cluster holds for one chain: its stage Pods and volumes, grouped by stage label.
 */
public record ObservedChain(Map<String, List<Pod>> podsByStage, Map<String, PersistentVolumeClaim> volumesByStage) {

    public static final ObservedChain EMPTY = new ObservedChain(Map.of(), Map.of());

    public static ObservedChain of(Collection<Pod> pods, Collection<PersistentVolumeClaim> volumes) {
        Map<String, List<Pod>> byStage = new LinkedHashMap<>();
        for (Pod p : pods) {
            String stage = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(Labels.STAGE);
            if (stage != null) {
                byStage.computeIfAbsent(stage, k -> new ArrayList<>()).add(p);
            }
        }
        Map<String, PersistentVolumeClaim> vols = new LinkedHashMap<>();
        for (PersistentVolumeClaim v : volumes) {
            String stage = v.getMetadata().getLabels() == null ? null : v.getMetadata().getLabels().get(Labels.STAGE);
            if (stage != null) {
                vols.put(stage, v);
            }
        }
        return new ObservedChain(byStage, vols);
    }

    public List<Pod> pods(String stage) {
        return podsByStage.getOrDefault(stage, List.of());
    }

    public PersistentVolumeClaim volume(String stage) {
        return volumesByStage.get(stage);
    }
}
