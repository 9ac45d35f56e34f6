package dev.distillation.operator.decision;

import static dev.distillation.operator.TestChains.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.AccessMode;
import dev.distillation.api.v1alpha1.StageStatus;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Where stage Pods start when volumes attach to one node at a time (storage.accessModes
 * ReadWriteOnce, the default). The paper's chain mounts the dataset's claim "cifar10" in every
 * stage, and each student its teacher's checkpoint volume.
 */
class ChainPlannerPlacementTest {

    static final String CHAIN = "cifar10-plain-cnn";

    /** "stage@node" per launch, "stage@*" for anywhere. */
    static String launches(Plan plan) {
        return plan.launches().stream().map(l -> l.stage() + "@" + (l.node() == null ? "*" : l.node())).collect(Collectors.joining(" "));
    }

    static StageStatus stage(Plan plan, String name) {
        return plan.stages().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSecondPodOfTheSameClaimWaitsUntilTheFirstHasANode() {
        Plan plan = new PlannerWorld().plan();

        assertThat(launches(plan)).isEqualTo("teacher@*");
        assertThat(stage(plan, "student-alone").getPhase().name()).isEqualTo("Waiting");
        assertThat(stage(plan, "student-alone").getMessage()).isEqualTo("waiting for volume cifar10: in use by Pod " + CHAIN
                + "-teacher-a1, which is not scheduled yet (ReadWriteOnce: its node decides where this stage can run)");
    }

    @Test
    void thenItStartsOnThatNode() {
        Plan plan = new PlannerWorld().pod("teacher", 1, 0, running()).onNode("teacher", "gpu-7").plan();

        assertThat(launches(plan)).isEqualTo("student-alone@gpu-7");
    }

    @Test
    void studentsOfOneTeacherAreCoLocatedOneAfterTheOther() {
        PlannerWorld world = new PlannerWorld().done("teacher", 0.91).done("student-alone", 0.8);
        assertThat(launches(world.plan())).as("the teacher's Pod has ended: no claim is in use").isEqualTo("assistant@*");

        world.pod("assistant", 1, 0, running()).onNode("assistant", "gpu-3");
        assertThat(launches(world.plan())).isEqualTo("student-direct@gpu-3");
    }

    @Test
    void aStageWhoseClaimsAreInUseOnTwoNodesSaysWhich() {
        PlannerWorld world = new PlannerWorld().spec(c -> c.getSpec().setParallelism(3)).done("teacher", 0.91)
                .pod("student-alone", 1, 0, running()).onNode("student-alone", "gpu-2")
                .pod("assistant", 1, 0, running()).onNode("assistant", "gpu-1");
        Plan plan = world.plan();

        assertThat(launches(plan)).isEmpty();
        assertThat(stage(plan, "student-direct").getMessage()).isEqualTo("waiting for volumes " + CHAIN
                + "-teacher, cifar10: in use on nodes gpu-1, gpu-2 at once (ReadWriteOnce attaches each to one node)");
    }

    @Test
    void volumesEveryNodeCanMountLeaveTheSchedulerFree() {
        for (AccessMode mode : List.of(AccessMode.READ_WRITE_MANY, AccessMode.READ_ONLY_MANY)) {
            Plan plan = new PlannerWorld().spec(c -> c.getSpec().getStorage().setAccessModes(List.of(AccessMode.READ_WRITE_ONCE, mode))).plan();
            assertThat(launches(plan)).as("%s", mode).isEqualTo("teacher@* student-alone@*");
        }
    }
}
