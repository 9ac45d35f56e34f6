package dev.distillation.operator.observer;

import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.managed.RecordedResult;
import dev.distillation.operator.managed.StageAnnotations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the cluster holds for one chain: its stage Pods (read as {@link PodView}s) and volumes,
 * grouped by stage label.
 */
public record ObservedChain(Map<String, List<PodView>> podsByStage, Map<String, PersistentVolumeClaim> volumesByStage) {

    public static final ObservedChain EMPTY = new ObservedChain(Map.of(), Map.of());

    public static ObservedChain of(Collection<Pod> pods, Collection<PersistentVolumeClaim> volumes) {
        Map<String, List<PodView>> byStage = new LinkedHashMap<>();
        for (Pod p : pods) {
            String stage = stageOf(p);
            if (stage != null) {
                byStage.computeIfAbsent(stage, k -> new ArrayList<>()).add(new PodView(p));
            }
        }
        Map<String, PersistentVolumeClaim> vols = new LinkedHashMap<>();
        for (PersistentVolumeClaim v : volumes) {
            String stage = stageOf(v);
            if (stage != null) {
                vols.put(stage, v);
            }
        }
        return new ObservedChain(byStage, vols);
    }

    private static String stageOf(HasMetadata object) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(Labels.STAGE);
    }

    public List<PodView> pods(String stage) {
        return podsByStage.getOrDefault(stage, List.of());
    }

    /** The name of the stage's checkpoint volume, if it exists. */
    public Optional<String> volume(String stage) {
        return Optional.ofNullable(volumesByStage.get(stage)).map(v -> v.getMetadata().getName());
    }

    /** The stage's Pods of {@code fingerprint} recorded on its volume as lost to disruptions. */
    public Set<String> disruptedPods(String stage, String fingerprint) {
        PersistentVolumeClaim volume = volumesByStage.get(stage);
        return volume == null ? Set.of() : StageAnnotations.disruptedPods(volume, fingerprint);
    }

    /** The result recorded on the stage's volume, whatever its fingerprint. */
    public Optional<RecordedResult> recordedResult(String stage) {
        return Optional.ofNullable(volumesByStage.get(stage)).flatMap(StageAnnotations::result);
    }
}
