package dev.distillation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.decision.Plan;
import dev.distillation.operator.managed.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quickstart chain: assistant learns from teacher, student-alone from labels. */
class HandOffTest {

    static final DistillationChain CHAIN = TestChains.example("quickstart");
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.400Z");

    static StageStatus stage(String name, StagePhase phase, String completionTime) {
        StageStatus st = new StageStatus();
        st.setName(name);
        st.setPhase(phase);
        st.setCompletionTime(completionTime);
        return st;
    }

    static Plan.Launch launch(String stage, int number, Plan.RetryReason reason) {
        return new Plan.Launch(stage, "sha256:x", new Attempt(number, number, 0), reason, null);
    }

    static final List<StageStatus> TEACHER_DONE = List.of(stage("teacher", StagePhase.Succeeded, "2026-03-01T11:59:58Z"),
            stage("assistant", StagePhase.Waiting, null));

    @Test
    void aStudentsFirstPodMeasuresFromItsTeachersCompletion() {
        assertThat(HandOff.latency(CHAIN, TEACHER_DONE, launch("assistant", 1, null), NOW)).contains(Duration.ofMillis(2400));
    }

    @Test
    void retriesRerunsAndStagesWithoutTeacherHaveNoHandOff() {
        assertThat(HandOff.latency(CHAIN, TEACHER_DONE, launch("assistant", 2, Plan.RetryReason.TrainerFailure), NOW)).isEmpty();
        assertThat(HandOff.latency(CHAIN, TEACHER_DONE, launch("assistant", 1, Plan.RetryReason.Disruption), NOW)).isEmpty();
        assertThat(HandOff.latency(CHAIN, TEACHER_DONE, launch("assistant", 3, null), NOW)).as("re-run after an edit").isEmpty();
        assertThat(HandOff.latency(CHAIN, TEACHER_DONE, launch("student-alone", 1, null), NOW)).isEmpty();
    }

    @Test
    void aTeacherWithoutAUsableCompletionTimeGivesNone() {
        assertThat(HandOff.latency(CHAIN, List.of(stage("teacher", StagePhase.Running, null)), launch("assistant", 1, null), NOW)).isEmpty();
        assertThat(HandOff.latency(CHAIN, List.of(stage("teacher", StagePhase.Succeeded, null)), launch("assistant", 1, null), NOW)).isEmpty();
        assertThat(HandOff.latency(CHAIN, List.of(stage("teacher", StagePhase.Succeeded, "yesterday")), launch("assistant", 1, null), NOW))
                .isEmpty();
    }

    @Test
    void aCompletionAheadOfTheOperatorsClockCountsAsZero() {
        assertThat(HandOff.latency(CHAIN, List.of(stage("teacher", StagePhase.Succeeded, "2026-03-01T12:00:01Z")),
                launch("assistant", 1, null), NOW)).contains(Duration.ZERO);
    }
}
