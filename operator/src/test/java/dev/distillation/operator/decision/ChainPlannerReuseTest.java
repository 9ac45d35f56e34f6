package dev.distillation.operator.decision;

import static dev.distillation.operator.TestChains.running;
import static dev.distillation.operator.TestChains.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import org.junit.jupiter.api.Test;

/**
 * A result that an earlier chain of the same name left on a retained volume: never Succeeded from the
 * volume's annotations alone. A Pod of this chain runs first; its trainer reuses the folder when the
 * fingerprint and checksums match (and reports exactly the kept metrics), else trains again.
 */
class ChainPlannerReuseTest {

    static final String EARLIER = "uid-of-an-earlier-chain";
    static final String COMPLETED = "2026-01-01T08:00:00Z";

    PlannerWorld world = new PlannerWorld();

    @Test
    void aResultKeptByAnEarlierChainIsCheckedByAPodBeforeItCounts() {
        Plan plan = world.recordedBy(EARLIER, "teacher", world.fp("teacher"), 0.91, COMPLETED).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).as("its Pod is being created").isEqualTo(StagePhase.Pending);
        assertThat(teacher.getMetrics()).isNull();
        assertThat(teacher.getReusedFrom()).isNull();
        assertThat(teacher.getMessage()).isEqualTo("volume cifar10-plain-cnn-teacher holds this stage's result from an earlier chain of "
                + "this name (completed 2026-01-01T08:00:00Z): its trainer checks the files before it is reused");
        assertThat(plan.launches()).extracting(l -> l.stage()).contains("teacher");
        assertThat(plan.stages().get(1).getPhase()).as("the assistant waits for the check").isEqualTo(StagePhase.Waiting);
    }

    @Test
    void whileThePodChecksTheStageSaysWhatItIsDoing() {
        Plan plan = world.recordedBy(EARLIER, "teacher", world.fp("teacher"), 0.91, COMPLETED).pod("teacher", 1, 0, running()).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Running);
        assertThat(teacher.getMessage()).startsWith("volume cifar10-plain-cnn-teacher holds this stage's result from an earlier chain");
    }

    @Test
    void aPodThatReportsTheKeptResultReusedItAndTheStageSaysFromWhen() {
        Plan plan = world.recordedBy(EARLIER, "teacher", world.fp("teacher"), 0.91, COMPLETED).pod("teacher", 1, 0, succeeded(0.91)).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Succeeded);
        assertThat(teacher.getReusedFrom()).isEqualTo(COMPLETED);
        assertThat(teacher.getMessage()).isEqualTo("reused the result an earlier chain of this name completed at 2026-01-01T08:00:00Z, "
                + "kept on volume cifar10-plain-cnn-teacher (its trainer checked the fingerprint and checksums)");
        assertThat(plan.results()).singleElement().satisfies(r -> {
            assertThat(r.result().chainUid()).isEqualTo(world.chain.getMetadata().getUid());
            assertThat(r.result().reusedFrom()).isEqualTo(COMPLETED);
        });
    }

    @Test
    void onceRecordedByThisChainTheReuseStaysOnTheStatus() {
        Plan first = world.recordedBy(EARLIER, "teacher", world.fp("teacher"), 0.91, COMPLETED).pod("teacher", 1, 0, succeeded(0.91)).plan();
        PlannerWorld after = new PlannerWorld();
        after.volume("teacher");
        after.volumes.get(0).getMetadata().setAnnotations(dev.distillation.operator.managed.StageAnnotations.ofResult(
                first.results().get(0).result()));

        StageStatus teacher = after.plan().stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Succeeded);
        assertThat(teacher.getReusedFrom()).isEqualTo(COMPLETED);
        assertThat(teacher.getMessage()).startsWith("reused the result an earlier chain of this name completed at 2026-01-01T08:00:00Z");
    }

    @Test
    void aPodThatTrainedAgainBecauseTheVolumeChangedIsNotAReuse() {
        // the trainer found the folder emptied or changed, trained, and reported other metrics
        Plan plan = world.recordedBy(EARLIER, "teacher", world.fp("teacher"), 0.91, COMPLETED).pod("teacher", 1, 0, succeeded(0.87)).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Succeeded);
        assertThat(teacher.getMetrics().getTestAccuracy()).isEqualTo(0.87);
        assertThat(teacher.getReusedFrom()).isNull();
        assertThat(teacher.getMessage()).isNull();
        assertThat(plan.results()).singleElement().satisfies(r -> assertThat(r.result().reusedFrom()).isNull());
    }

    @Test
    void aResultOfThisChainIsTrustedAsRecorded() {
        Plan plan = world.done("teacher", 0.91).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Succeeded);
        assertThat(teacher.getReusedFrom()).isNull();
        assertThat(plan.launches()).extracting(l -> l.stage()).doesNotContain("teacher");
    }
}
