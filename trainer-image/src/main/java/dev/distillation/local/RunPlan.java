package dev.distillation.local;

import dev.distillation.api.v1alpha1.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a local run does with each stage, decided from fingerprints and what the stage folders hold. Pure. */
public final class RunPlan {

    public enum Action {
        /** The folder holds a finished result with the same fingerprint: nothing to train. */
        REUSE,
        /** A run with the same fingerprint was interrupted: train on, from its last epoch checkpoint. */
        RESUME,
        /** Train from scratch (the folder is emptied first when it holds anything). */
        TRAIN
    }

    /**
     * @param stage  stage name
     * @param action what to do
     * @param reason for the user, e.g. "up to date", "settings changed", "teacher 'assistant' is trained again"
     * @param clean  true when the folder holds results of other settings that must be removed before training
     */
    public record Step(String stage, Action action, String reason, boolean clean) {}

    private final List<Step> steps;

    private RunPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    public Step step(String stage) {
        return steps.stream().filter(s -> s.stage().equals(stage)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stage));
    }

    public long count(Action action) {
        return steps.stream().filter(s -> s.action() == action).count();
    }

    /**
     * @param order        stages, teachers first (StageGraph.topologicalOrder())
     * @param fingerprints each stage's fingerprint for this run
     * @param states       what each stage's folder holds; a missing entry means an absent folder
     */
    public static RunPlan of(List<StageSpec> order, Map<String, String> fingerprints, Map<String, StageState> states) {
        Map<String, Step> decided = new LinkedHashMap<>();
        for (StageSpec stage : order) {
            String name = stage.getName();
            String fp = Objects.requireNonNull(fingerprints.get(name), () -> "no fingerprint for stage " + name);
            StageState state = states.getOrDefault(name, StageState.ABSENT);
            Step teacherStep = stage.getTeacher() == null ? null : decided.get(stage.getTeacher());
            decided.put(name, step(stage, fp, state, teacherStep));
        }
        return new RunPlan(new ArrayList<>(decided.values()));
    }

    /**
     * What to do with one stage (or one candidate of a stage) whose fingerprint in this run is {@code fp}, given what
     * its folder holds and what was decided for its teacher ({@code teacherStep}, null for none or not decided).
     */
    public static Step step(StageSpec stage, String fp, StageState state, Step teacherStep) {
        String name = stage.getName();
        boolean teacherChanges = teacherStep != null && teacherStep.action() != Action.REUSE;
        if (teacherChanges && state.empty()) {
            return new Step(name, Action.TRAIN, "new", false);
        } else if (teacherChanges) {
            return new Step(name, Action.TRAIN, "teacher '" + stage.getTeacher() + "' is trained again", !state.empty());
        } else if (fp.equals(state.completedFingerprint()) && state.changed() != null) {
            return new Step(name, Action.TRAIN, "its result changed after it completed (" + state.changed() + ")", true);
        } else if (fp.equals(state.completedFingerprint())) {
            return new Step(name, Action.REUSE, "up to date", false);
        } else if (fp.equals(state.startedFingerprint()) && state.checkpointed()) {
            return new Step(name, Action.RESUME, "interrupted earlier, goes on from its last epoch checkpoint", false);
        } else if (fp.equals(state.startedFingerprint())) {
            return new Step(name, Action.TRAIN, "interrupted earlier, before its first epoch checkpoint", false);
        } else if (state.empty()) {
            return new Step(name, Action.TRAIN, "new", false);
        } else if (state.completedFingerprint() != null || state.startedFingerprint() != null) {
            return new Step(name, Action.TRAIN, "settings changed", true);
        } else {
            return new Step(name, Action.TRAIN, "folder holds no result of this runner", true);
        }
    }
}
