package dev.distillation.operator.decision;

import static dev.distillation.operator.TestChains.evicted;
import static dev.distillation.operator.TestChains.running;
import static dev.distillation.operator.decision.ChainPlannerTest.row;
import static dev.distillation.operator.decision.ChainPlannerTest.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.decision.ChainPlannerTest.Expect;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner's rules for Pods the cluster takes away (disruptionLimit) and stages the API server refused (held). */
class ChainPlannerDisruptionTest {

    static Stream<Arguments> decisions() {
        return Stream.of(
                row("pods lost to disruptions up to disruptionLimit: replaced, numbered after the lost ones",
                        world().spec(c -> c.getSpec().setDisruptionLimit(2)).lost("teacher", 1, 2).done("student-alone", 0.8),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "teacher#3(f0)", ""),
                row("pods lost to disruptions past disruptionLimit: stage Failed, the rest Skipped",
                        world().spec(c -> c.getSpec().setDisruptionLimit(2)).lost("teacher", 1, 2).pod("teacher", 3, 0, evicted()),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Skipped",
                        "", ""),
                row("disruptionLimit 0: the first eviction fails the stage",
                        world().spec(c -> c.getSpec().setDisruptionLimit(0)).pod("teacher", 1, 0, evicted()).done("student-alone", 0.8),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Succeeded",
                        "", ""),
                row("held stage (its Pod was refused): not started, and it keeps its slot",
                        world().held("teacher"),
                        "teacher=Waiting assistant=Waiting student=Waiting student-direct=Waiting student-alone=Pending",
                        "student-alone#1", ""),
                row("held stage with parallelism 1: nothing else starts in its place",
                        world().spec(c -> c.getSpec().setParallelism(1)).held("teacher"),
                        "teacher=Waiting assistant=Waiting student=Waiting student-direct=Waiting student-alone=Waiting",
                        "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(String name, PlannerWorld world, Expect expect) {
        new ChainPlannerTest().decides(name, world, expect);
    }

    @Test
    void aLostPodIsRecordedOnTheStageVolumeOnceAndCounted() {
        PlannerWorld w = world().lost("teacher", 1).pod("teacher", 2, 0, evicted());

        Plan plan = w.plan();

        assertThat(plan.disruptions()).singleElement().satisfies(d -> {
            assertThat(d.volume()).isEqualTo("cifar10-plain-cnn-teacher");
            assertThat(d.fingerprint()).isEqualTo(w.fp("teacher"));
            assertThat(d.pods()).containsExactlyInAnyOrder("cifar10-plain-cnn-teacher-a1", "cifar10-plain-cnn-teacher-a2");
        });
        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getDisruptions()).isEqualTo(2);
        assertThat(teacher.getFailures()).isZero();
        assertThat(plan.launches()).filteredOn(l -> l.stage().equals("teacher")).singleElement()
                .satisfies(l -> assertThat(l.retryReason()).isEqualTo(Plan.RetryReason.Disruption));
        assertThat(w.lost("teacher", 1, 2).plan().disruptions()).as("already recorded").isEmpty();
    }

    @Test
    void aRunningPodBeingDeletedFromOutsideIsRecordedBeforeItIsGone() {
        PlannerWorld w = world();
        w.pod("teacher", 1, 0, running());
        w.pods.get(0).getMetadata().setDeletionTimestamp("2026-01-01T11:59:00Z");

        Plan plan = w.plan();

        assertThat(plan.stages().get(0).getPhase()).isEqualTo(StagePhase.Running);
        assertThat(plan.disruptions()).singleElement().satisfies(d -> assertThat(d.pods()).containsExactly("cifar10-plain-cnn-teacher-a1"));
        assertThat(plan.launches()).extracting(Plan.Launch::stage).doesNotContain("teacher");
    }

    @Test
    void aStageLostTooOftenSaysHowManyAndTheLastReason() {
        Plan plan = world().spec(c -> c.getSpec().setDisruptionLimit(1)).lost("teacher", 1).pod("teacher", 2, 0, evicted()).plan();

        assertThat(plan.stages().get(0).getMessage()).isEqualTo("lost 2 Pods to disruptions (eviction, preemption, node loss or "
                + "deletion), more than disruptionLimit 1; the last: pod cifar10-plain-cnn-teacher-a2 was ended by the cluster (Evicted): "
                + "The node was low on resource: memory.");
        assertThat(plan.events()).extracting(StageEvent::reason, StageEvent::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("StageFailed", "cifar10-plain-cnn-teacher-a2.failed"));
    }

    @Test
    void heldStageShowsWhyAndWhen() {
        Plan plan = world().held("teacher").plan();

        assertThat(plan.stages().get(0).getMessage()).startsWith("Kubernetes refused pod x (Forbidden): exceeded quota; next try at");
        assertThat(plan.events()).extracting(StageEvent::key).noneMatch(k -> k.contains("teacher"));
    }

}
