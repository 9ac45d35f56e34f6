package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.local.RunPlan.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunPlanTest {

    private static StageSpec stage(String name, String teacher) {
        StageSpec s = new StageSpec();
        s.setName(name);
        s.setTeacher(teacher);
        ModelSpec m = new ModelSpec();
        m.setArchitecture(Architecture.PLAIN_CNN);
        m.setDepth(2);
        s.setModel(m);
        return s;
    }

    private static final List<StageSpec> ORDER = List.of(stage("teacher", null), stage("assistant", "teacher"),
            stage("student", "assistant"), stage("alone", null));
    private static final Map<String, String> FP = Map.of("teacher", "t1", "assistant", "a1", "student", "s1", "alone", "n1");

    private static StageState done(String fp) {
        return new StageState(fp, fp, false, true);
    }

    @Test
    void freshWorkdirTrainsEverything() {
        RunPlan plan = RunPlan.of(ORDER, FP, Map.of());
        assertThat(plan.steps()).extracting(RunPlan.Step::action).containsOnly(Action.TRAIN);
        assertThat(plan.steps()).extracting(RunPlan.Step::reason).containsOnly("new");
        assertThat(plan.steps()).noneMatch(RunPlan.Step::clean);
    }

    @Test
    void finishedStagesWithTheSameFingerprintAreReused() {
        RunPlan plan = RunPlan.of(ORDER, FP, Map.of("teacher", done("t1"), "assistant", done("a1"),
                "student", done("s1"), "alone", done("n1")));
        assertThat(plan.count(Action.REUSE)).isEqualTo(4);
    }

    @Test
    void changedStageAndItsDescendantsRunAgainOthersAreReused() {
        Map<String, String> changed = Map.of("teacher", "t1", "assistant", "a2", "student", "s2", "alone", "n1");
        RunPlan plan = RunPlan.of(ORDER, changed, Map.of("teacher", done("t1"), "assistant", done("a1"),
                "student", done("s1"), "alone", done("n1")));
        assertThat(plan.step("teacher").action()).isEqualTo(Action.REUSE);
        assertThat(plan.step("assistant")).isEqualTo(new RunPlan.Step("assistant", Action.TRAIN, "settings changed", true));
        assertThat(plan.step("student")).isEqualTo(
                new RunPlan.Step("student", Action.TRAIN, "teacher 'assistant' is trained again", true));
        assertThat(plan.step("alone").action()).isEqualTo(Action.REUSE);
    }

    @Test
    void interruptedStageWithTheSameFingerprintResumes() {
        RunPlan plan = RunPlan.of(ORDER, FP, Map.of("teacher", new StageState(null, "t1", false, true)));
        assertThat(plan.step("teacher").action()).isEqualTo(Action.RESUME);
        assertThat(plan.step("teacher").clean()).isFalse();
        // its students have to wait for it and then train from scratch
        assertThat(plan.step("assistant").action()).isEqualTo(Action.TRAIN);
    }

    @Test
    void interruptedBeforeItsFirstCheckpointItTrainsFromTheStartAndSaysSo() {
        RunPlan plan = RunPlan.of(ORDER, FP, Map.of("teacher", new StageState(null, "t1", false, false)));
        assertThat(plan.step("teacher")).isEqualTo(
                new RunPlan.Step("teacher", Action.TRAIN, "interrupted earlier, before its first epoch checkpoint", false));
    }

    @Test
    void interruptedStageWithOtherSettingsStartsOverOnAnEmptiedFolder() {
        RunPlan plan = RunPlan.of(ORDER, FP, Map.of("teacher", new StageState(null, "t0", false, true)));
        assertThat(plan.step("teacher")).isEqualTo(new RunPlan.Step("teacher", Action.TRAIN, "settings changed", true));
    }

    @Test
    void foreignFilesAreClearedBeforeTraining() {
        RunPlan plan = RunPlan.of(ORDER, FP, Map.of("alone", new StageState(null, null, false, false)));
        assertThat(plan.step("alone").action()).isEqualTo(Action.TRAIN);
        assertThat(plan.step("alone").clean()).isTrue();
    }
}
