package dev.distillation.operator.decision;

import dev.distillation.operator.managed.ObjectNames;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.observer.PodView;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stage's Pods of its current fingerprint lost to disruptions (eviction, preemption, node loss,
 * deletion from outside): those recorded on its volume and those the cluster shows now. Most such
 * Pods are deleted, so each one seen is recorded, and a stage whose count passes
 * {@code disruptionLimit} fails instead of being replaced forever. Pure.
 *
 * @param lost   names of the lost Pods
 * @param record what to record on the volume, or null when it holds them all already
 */
record Disruptions(Set<String> lost, Plan.DisruptionRecord record, String lastMessage) {

    static Disruptions of(ObservedChain observed, String stage, String fingerprint, List<PodView> pods) {
        Set<String> recorded = observed.disruptedPods(stage, fingerprint);
        Set<String> lost = new TreeSet<>(recorded);
        pods.stream().filter(PodView::lost).map(PodView::name).forEach(lost::add);
        Plan.DisruptionRecord record = recorded.containsAll(lost) ? null
                : observed.volume(stage).map(v -> new Plan.DisruptionRecord(stage, v, fingerprint, Set.copyOf(lost))).orElse(null);
        String newest = newest(lost);
        Optional<PodView> seen = pods.stream().filter(p -> p.name().equals(newest)).findFirst();
        String lastMessage = newest == null ? null
                : seen.map(p -> p.deleting() && p.outcome() == PodView.Outcome.ACTIVE ? StageMessages.podBeingDeleted(p.name()) : p.failureMessage())
                        .orElse(StageMessages.podGone(newest));
        return new Disruptions(lost, record, lastMessage);
    }

    int count() {
        return lost.size();
    }

    /** The lost Pod of the highest attempt, or null. */
    String newest() {
        return newest(lost);
    }

    private static String newest(Set<String> pods) {
        return pods.stream().max(Comparator.comparingInt(ObjectNames::attemptOfPod)).orElse(null);
    }

    /** The highest attempt number among the lost Pods, 0 when none. */
    int highestAttempt() {
        return lost.stream().mapToInt(ObjectNames::attemptOfPod).max().orElse(0);
    }
}
