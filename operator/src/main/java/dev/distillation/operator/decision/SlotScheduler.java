package dev.distillation.operator.decision;

import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which of the stages that need a Pod start now (rule 6 of {@link ChainPlanner}). In topological
 * order, a stage starts when the chain has not failed, its teacher succeeded, the chain is not
 * suspended, no Pod of the stage's previous spec still runs, fewer than {@code parallelism}
 * stages are active, and it is not held (its last Pod or volume was refused; a held stage keeps its
 * slot). Each stage that does not start gets a message naming what holds it; once the chain failed,
 * it is Skipped. Pure apart from those messages.
 */
final class SlotScheduler {

    private SlotScheduler() {}

    /**
     * @param waiting      stages that need a Pod, in topological order; their statuses are in {@code states}
     * @param states       every stage's status so far
     * @param hasStalePods whether a stage still has an active Pod of an older fingerprint
     * @param held         stages that may not start now, with the reason
     * @param tolerated    stages whose failure does not fail the chain
     * @return the stages to start, in order
     */
    static List<String> choose(List<String> waiting, Map<String, StageStatus> states, StageGraph graph,
                               DistillationChainSpec spec, Predicate<String> hasStalePods, Map<String, String> held, Set<String> tolerated) {
        String failed = states.values().stream().filter(s -> s.getPhase() == StagePhase.Failed && !tolerated.contains(s.getName()))
                .map(StageStatus::getName).findFirst().orElse(null);
        long active = states.values().stream()
                .filter(s -> s.getPhase() == StagePhase.Pending || s.getPhase() == StagePhase.Running).count();
        int parallelism = spec.effectiveParallelism();
        List<String> start = new ArrayList<>();
        for (String name : waiting) {
            StageStatus st = states.get(name);
            String teacher = graph.stage(name).getTeacher();
            if (failed != null) {
                st.setPhase(StagePhase.Skipped);
                st.setMessage(StageMessages.chainFailed(failed));
            } else if (teacher != null && states.get(teacher).getPhase() != StagePhase.Succeeded) {
                st.setMessage(StageMessages.waitingForTeacher(teacher));
            } else if (spec.isSuspended()) {
                st.setMessage(StageMessages.suspended());
            } else if (hasStalePods.test(name)) {
                st.setMessage(StageMessages.waitingForStalePods());
            } else if (active >= parallelism) {
                st.setMessage(StageMessages.waitingForSlot(active, parallelism));
            } else if (held.containsKey(name)) {
                st.setMessage(held.get(name));
                active++;
            } else {
                start.add(name);
                active++;
            }
        }
        return start;
    }
}
