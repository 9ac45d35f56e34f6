package dev.distillation.operator.decision;

import dev.distillation.api.graph.Candidates;
import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain whose stages list candidates, as the operator runs it: a plain chain (the <em>effective</em> chain) in
 * which every listing stage is replaced by its candidates, each a stage of its own with its own Pods and volume.
 * A stage learning from a listing stage that has chosen learns from the chosen candidate (its volume, its
 * fingerprint); one learning from a listing stage that has not chosen yet is left out, and so is everything
 * below it, until the choice is made. Pure.
 *
 * @param effective  the chain with the effective spec (same metadata and status)
 * @param candidates each listing stage's candidate names, in the order they are listed (also for left-out stages)
 * @param waitingOn  each left-out stage: the listing stage whose choice it waits for
 */
public record CandidateExpansion(DistillationChain effective, Map<String, List<String>> candidates, Map<String, String> waitingOn) {

    /** {@code choices}: listing stage → the candidate it chose. */
    public static CandidateExpansion of(DistillationChain chain, Map<String, String> choices) {
        DistillationChainSpec spec = chain.getSpec();
        StageGraph graph = StageGraph.of(spec);
        Map<String, List<StageSpec>> replaced = new LinkedHashMap<>();
        Map<String, List<String>> candidates = new LinkedHashMap<>();
        Map<String, String> waitingOn = new LinkedHashMap<>();
        for (StageSpec stage : graph.topologicalOrder()) {
            List<Candidates.Candidate> listed = Candidates.has(stage) ? Candidates.of(spec, stage) : List.of();
            if (Candidates.has(stage)) {
                candidates.put(stage.getName(), listed.stream().map(Candidates.Candidate::name).toList());
            }
            String teacher = stage.getTeacher();
            String blocker = teacher == null ? null : waitingOn.get(teacher);
            if (blocker == null && teacher != null && Candidates.has(graph.stage(teacher)) && !choices.containsKey(teacher)) {
                blocker = teacher;
            }
            if (blocker != null) {
                waitingOn.put(stage.getName(), blocker);
                continue;
            }
            String effectiveTeacher = teacher == null ? null : choices.getOrDefault(teacher, teacher);
            List<StageSpec> stages = new ArrayList<>();
            if (Candidates.has(stage)) {
                for (Candidates.Candidate c : listed) {
                    c.stage().setTeacher(effectiveTeacher);
                    stages.add(c.stage());
                }
            } else {
                stages.add(withTeacher(stage, effectiveTeacher));
            }
            replaced.put(stage.getName(), stages);
        }
        List<StageSpec> stages = new ArrayList<>();
        for (StageSpec s : spec.getStages()) {
            stages.addAll(replaced.getOrDefault(s.getName(), List.of()));
        }
        DistillationChain effective = new DistillationChain();
        effective.setMetadata(chain.getMetadata());
        effective.setStatus(chain.getStatus());
        effective.setSpec(withStages(spec, stages));
        return new CandidateExpansion(effective, candidates, waitingOn);
    }

    private static StageSpec withTeacher(StageSpec stage, String teacher) {
        if (java.util.Objects.equals(stage.getTeacher(), teacher)) {
            return stage;
        }
        StageSpec s = new StageSpec();
        s.setName(stage.getName());
        s.setModel(stage.getModel());
        s.setTeacher(teacher);
        s.setTraining(stage.getTraining());
        s.setPretrained(stage.getPretrained());
        return s;
    }

    private static DistillationChainSpec withStages(DistillationChainSpec spec, List<StageSpec> stages) {
        DistillationChainSpec s = new DistillationChainSpec();
        s.setDataset(spec.getDataset());
        s.setTrainer(spec.getTrainer());
        s.setStorage(spec.getStorage());
        s.setTraining(spec.getTraining());
        s.setParallelism(spec.getParallelism());
        s.setBackoffLimit(spec.getBackoffLimit());
        s.setDisruptionLimit(spec.getDisruptionLimit());
        s.setSuspend(spec.getSuspend());
        s.setStages(stages);
        return s;
    }
}
