package dev.distillation.api.graph;

import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stages of a chain as a forest: each stage has at most one teacher, an earlier stage.
 * Built only from a spec that passed {@code ChainValidator}; answers "in which order", "what can
 * run now" and "what depends on this stage". Pure: no I/O, no clocks.
 */
public final class StageGraph {

    private final Map<String, StageSpec> stages = new LinkedHashMap<>();
    private final Map<String, List<String>> students = new LinkedHashMap<>();

    private StageGraph(List<StageSpec> specs) {
        for (StageSpec s : specs) {
            if (stages.putIfAbsent(s.getName(), s) != null) {
                throw new IllegalArgumentException("duplicate stage name '" + s.getName() + "'");
            }
            students.put(s.getName(), new ArrayList<>());
        }
        for (StageSpec s : specs) {
            if (s.getTeacher() != null) {
                List<String> of = students.get(s.getTeacher());
                if (of == null) {
                    throw new IllegalArgumentException("stage '" + s.getName() + "' names unknown teacher '" + s.getTeacher() + "'");
                }
                of.add(s.getName());
            }
        }
        if (topologicalOrderNames().size() != stages.size()) {
            throw new IllegalArgumentException("the stages' teachers form a cycle");
        }
    }

    /** @throws IllegalArgumentException on duplicate names, unknown teachers or cycles (the validator reports these first) */
    public static StageGraph of(DistillationChainSpec spec) {
        return new StageGraph(spec.getStages());
    }

    public static StageGraph of(List<StageSpec> stages) {
        return new StageGraph(stages);
    }

    public Collection<StageSpec> stages() {
        return stages.values();
    }

    public StageSpec stage(String name) {
        StageSpec s = stages.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no stage named '" + name + "'");
        }
        return s;
    }

    public Optional<String> teacherOf(String stage) {
        return Optional.ofNullable(stage(stage).getTeacher());
    }

    /** Stages that learn directly from {@code stage}, in spec order. */
    public List<String> studentsOf(String stage) {
        stage(stage);
        return List.copyOf(students.get(stage));
    }

    /** Every stage before its students; among stages that are ready together, spec order is kept. */
    public List<StageSpec> topologicalOrder() {
        return topologicalOrderNames().stream().map(stages::get).toList();
    }

    /** Repeatedly takes the first stage, in spec order, whose teacher is already taken (at most 32 stages). */
    private List<String> topologicalOrderNames() {
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        boolean progressed = true;
        while (progressed && order.size() < stages.size()) {
            progressed = false;
            for (StageSpec s : stages.values()) {
                if (!done.contains(s.getName()) && (s.getTeacher() == null || done.contains(s.getTeacher()))) {
                    done.add(s.getName());
                    order.add(s.getName());
                    progressed = true;
                    break;
                }
            }
        }
        return order;
    }

    /**
     * Stages that may start now: not finished, not excluded, and whose teacher (if any) is in
     * {@code succeeded}. In topological order.
     *
     * @param succeeded stages whose model is available
     * @param excluded  stages that must not start (running, failed, skipped...)
     */
    public List<String> ready(Set<String> succeeded, Set<String> excluded) {
        List<String> ready = new ArrayList<>();
        for (StageSpec s : topologicalOrder()) {
            String name = s.getName();
            if (succeeded.contains(name) || excluded.contains(name)) {
                continue;
            }
            if (s.getTeacher() == null || succeeded.contains(s.getTeacher())) {
                ready.add(name);
            }
        }
        return ready;
    }

    /** Every stage that learns, directly or through others, from {@code stage} (not the stage itself). */
    public Set<String> descendants(String stage) {
        stage(stage);
        Set<String> result = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(students.get(stage));
        while (!todo.isEmpty()) {
            String next = todo.poll();
            if (result.add(next)) {
                todo.addAll(students.get(next));
            }
        }
        return result;
    }

    /** Stages no other stage learns from: the ends of the chain. */
    public Set<String> leaves() {
        Set<String> leaves = new LinkedHashSet<>();
        students.forEach((name, of) -> {
            if (of.isEmpty()) {
                leaves.add(name);
            }
        });
        return leaves;
    }

    /** The stage's teachers from its direct teacher up to the root, e.g. [assistant, teacher]. */
    public List<String> ancestors(String stage) {
        List<String> result = new ArrayList<>();
        String t = stage(stage).getTeacher();
        while (t != null) {
            result.add(t);
            t = stages.get(t).getTeacher();
        }
        return result;
    }
}
