package dev.distillation.operator.decision;

import static dev.distillation.operator.TestChains.evicted;
import static dev.distillation.operator.TestChains.running;
import static dev.distillation.operator.TestChains.succeeded;
import static dev.distillation.operator.TestChains.trainerFailed;
import static dev.distillation.operator.TestChains.unschedulable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.AccessMode;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.managed.TrainerResult;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChainPlannerTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /**
     * The paper's chain on storage that every node can mount (ReadWriteMany), so that these rows show
     * the rules of the stages alone; where ReadWriteOnce volumes put a stage is {@link ChainPlannerPlacementTest}'s.
     */
    static PlannerWorld world() {
        return new PlannerWorld().spec(c -> c.getSpec().getStorage().setAccessModes(List.of(AccessMode.READ_WRITE_MANY)));
    }

    /** Expected: every stage's phase (in spec order), the stages launched and the pods deleted. */
    record Expect(String phases, String launched, String deleted) {}

    static Arguments row(String name, PlannerWorld w, String phases, String launched, String deleted) {
        return Arguments.of(name, w, new Expect(phases, launched, deleted));
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                row("fresh chain: roots start, within parallelism 2",
                        world(),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Pending",
                        "teacher#1 student-alone#1", ""),
                row("parallelism 1: only the first root starts",
                        world().spec(c -> c.getSpec().setParallelism(1)),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Waiting",
                        "teacher#1", ""),
                row("running pods hold their slots",
                        world().pod("teacher", 1, 0, running()).pod("student-alone", 1, 0, running()),
                        "teacher=Running assistant=Waiting student=Waiting student-direct=Waiting student-alone=Running",
                        "", ""),
                row("teacher done: its students start within the free slots",
                        world().done("teacher", 0.91).pod("student-alone", 1, 0, running()),
                        "teacher=Succeeded assistant=Pending student=Waiting student-direct=Waiting student-alone=Running",
                        "assistant#1", ""),
                row("succeeded pod not yet recorded: counts as done",
                        world().pod("teacher", 1, 0, succeeded(0.91)).done("student-alone", 0.8),
                        "teacher=Succeeded assistant=Pending student=Waiting student-direct=Pending student-alone=Succeeded",
                        "assistant#1 student-direct#1", ""),
                row("trainer failure below backoffLimit: retried as attempt 2",
                        world().pod("teacher", 1, 0, trainerFailed(1, "boom")).done("student-alone", 0.8),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "teacher#2(f1)", ""),
                row("trainer failures past backoffLimit: stage Failed, descendants and unstarted stages Skipped",
                        world().spec(c -> c.getSpec().setBackoffLimit(1))
                                .pod("teacher", 1, 0, trainerFailed(1, "boom")).pod("teacher", 2, 1, trainerFailed(1, "boom again")),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Skipped",
                        "", ""),
                row("bad input (exit 2): stage Failed at once, whatever backoffLimit allows",
                        world().spec(c -> c.getSpec().setBackoffLimit(5)).pod("teacher", 1, 0, trainerFailed(2, "error: corrupt dataset")),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Skipped",
                        "", ""),
                row("training failed (exit 3) after a crash: Failed, not retried again",
                        world().spec(c -> c.getSpec().setBackoffLimit(5))
                                .pod("teacher", 1, 0, trainerFailed(1, "boom")).pod("teacher", 2, 1, trainerFailed(3, "error: diverged")),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Skipped",
                        "", ""),
                row("failed stage does not stop a running independent stage",
                        world().spec(c -> c.getSpec().setBackoffLimit(0))
                                .pod("teacher", 1, 0, trainerFailed(1, "boom")).pod("student-alone", 1, 0, running()),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Running",
                        "", ""),
                row("evictions do not count against backoffLimit",
                        world().spec(c -> c.getSpec().setBackoffLimit(0))
                                .pod("teacher", 1, 0, evicted()).pod("teacher", 2, 0, evicted()).done("student-alone", 0.8),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "teacher#3(f0)", ""),
                row("failure count survives deletion of the failed pod (carried by the newer pod's annotation)",
                        world().spec(c -> c.getSpec().setBackoffLimit(1)).pod("teacher", 2, 1, trainerFailed(1, "again")),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Skipped",
                        "", ""),
                row("newest pod (a2) vanished: next attempt takes the free name, failure count from what remains",
                        world().pod("teacher", 1, 0, trainerFailed(1, "x")).done("student-alone", 0.8),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "teacher#2(f1)", ""),
                row("suspended: nothing new starts, running pods go on",
                        world().spec(c -> c.getSpec().setSuspend(true)).pod("student-alone", 1, 0, running()),
                        "teacher=Waiting assistant=Waiting student=Waiting student-direct=Waiting student-alone=Running",
                        "", ""),
                row("result recorded on the volume: done even with its pods gone",
                        world().done("teacher", 0.91).done("assistant", 0.88).done("student", 0.84)
                                .done("student-direct", 0.83).done("student-alone", 0.82),
                        "teacher=Succeeded assistant=Succeeded student=Succeeded student-direct=Succeeded student-alone=Succeeded",
                        "", ""),
                row("edited student: old result does not count, only it re-runs",
                        world().done("teacher", 0.91).done("assistant", 0.88).done("student", 0.84)
                                .done("student-direct", 0.83).done("student-alone", 0.82)
                                .spec(c -> c.getSpec().getStages().get(2).setTraining(epochs(7))),
                        "teacher=Succeeded assistant=Succeeded student=Pending student-direct=Succeeded student-alone=Succeeded",
                        "student#1", ""),
                row("edited teacher: it and all its descendants re-run; stale running pod deleted",
                        world().done("teacher", 0.91).pod("assistant", 1, 0, running()).done("student-alone", 0.82)
                                .spec(c -> c.getSpec().getStages().get(0).setTraining(epochs(5))),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "teacher#1", "cifar10-plain-cnn-assistant-a1"),
                row("stale pod of the same stage: wait for it to stop, then number attempts after it",
                        world().podWithFingerprint("teacher", "sha256:old", 1, 1, 0, running()).done("student-alone", 0.8),
                        "teacher=Waiting assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "", "cifar10-plain-cnn-teacher-a1"),
                row("finished stale pod: new attempt numbered after it",
                        world().podWithFingerprint("teacher", "sha256:old", 1, 1, 0, succeeded(0.5)).done("student-alone", 0.8),
                        "teacher=Pending assistant=Waiting student=Waiting student-direct=Waiting student-alone=Succeeded",
                        "teacher#2(f0)", ""),
                row("unreadable termination message: stage Failed",
                        world().pod("teacher", 1, 0, succeeded("this is not json")),
                        "teacher=Failed assistant=Skipped student=Skipped student-direct=Skipped student-alone=Skipped",
                        "", "")
        );
    }

    static dev.distillation.api.v1alpha1.TrainingSpec epochs(int n) {
        var t = new dev.distillation.api.v1alpha1.TrainingSpec();
        t.setEpochs(n);
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(String name, PlannerWorld world, Expect expect) {
        Plan plan = world.plan();

        assertThat(plan.stages().stream().map(s -> s.getName() + "=" + s.getPhase()).collect(Collectors.joining(" ")))
                .isEqualTo(expect.phases());
        assertThat(plan.launches().stream()
                .map(l -> l.stage() + "#" + l.attempt().number() + (l.attempt().number() > 1 ? "(f" + l.attempt().failuresBefore() + ")" : ""))
                .collect(Collectors.joining(" ")))
                .isEqualTo(expect.launched());
        assertThat(String.join(" ", plan.podsToDelete())).isEqualTo(expect.deleted());
    }

    @Test
    void launchCreatesTheMissingVolumeAndRecordsStartEvents() {
        Plan plan = world().spec(c -> c.getSpec().setParallelism(1)).plan();

        assertThat(plan.volumesToCreate()).containsExactly("teacher");
        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPod()).isEqualTo("cifar10-plain-cnn-teacher-a1");
        assertThat(teacher.getAttempts()).isEqualTo(1);
        assertThat(teacher.getStartTime()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(teacher.getCheckpoint().getClaimName()).isEqualTo("cifar10-plain-cnn-teacher");
        assertThat(teacher.getExport()).as("no export before the stage succeeded").isNull();
        assertThat(plan.events()).extracting(StageEvent::reason, StageEvent::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("StageStarted", "cifar10-plain-cnn-teacher-a1.started"));
        assertThat(plan.stages().get(1).getMessage()).isEqualTo("waiting for teacher stage 'teacher'");
    }

    @Test
    void succeededPodIsRecordedOnItsVolumeWithMetrics() {
        PlannerWorld w = world().pod("teacher", 1, 0, succeeded(0.912));

        Plan plan = w.plan();

        assertThat(plan.results()).singleElement().satisfies(r -> {
            assertThat(r.volume()).isEqualTo("cifar10-plain-cnn-teacher");
            assertThat(r.result().fingerprint()).isEqualTo(w.fp("teacher"));
            assertThat(r.result().pod()).isEqualTo("cifar10-plain-cnn-teacher-a1");
            assertThat(r.result().metrics().getTestAccuracy()).isEqualTo(0.912);
            assertThat(r.result().attempts()).isEqualTo(1);
            assertThat(r.result().durationSeconds()).isEqualTo(1800.0);
        });
        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getMetrics().getTestAccuracy()).isEqualTo(0.912);
        assertThat(teacher.getCompletionTime()).isEqualTo(TestChains.FINISHED);
        assertThat(teacher.getExport().getClaimName()).isEqualTo("cifar10-plain-cnn-teacher");
        assertThat(teacher.getExport().getPath()).isEqualTo("/export");
        assertThat(plan.events()).extracting(StageEvent::reason).contains("StageSucceeded");
    }

    @Test
    void aStageFinishedByATrainerThatLeftNoExportShowsNone() {
        StageMetrics older = new StageMetrics();
        older.setTestAccuracy(0.9);
        older.setEpochs(2);
        PlannerWorld w = world().pod("teacher", 1, 0, succeeded(TrainerResult.toJson(older)));

        StageStatus teacher = w.plan().stages().get(0);

        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Succeeded);
        assertThat(teacher.getMetrics().getTestAccuracy()).isEqualTo(0.9);
        assertThat(teacher.getExport()).as("metrics without an export folder: the trainer wrote none").isNull();
    }

    @Test
    void withAValidationSplitATrainerThatReportsNoValidationAccuracyFailsTheStage() {
        PlannerWorld old = world();
        old.chain.getSpec().getDataset().setValidation(new dev.distillation.api.v1alpha1.ValidationSplit(5000, null));
        old.pod("teacher", 1, 0, succeeded("{\"testAccuracy\":0.91}"));
        PlannerWorld current = world();
        current.chain.getSpec().getDataset().setValidation(new dev.distillation.api.v1alpha1.ValidationSplit(5000, null));
        current.pod("teacher", 1, 0, succeeded("{\"validationAccuracy\":0.9,\"testAccuracy\":0.91}"));

        StageStatus refused = old.plan().stages().get(0);
        assertThat(refused.getPhase()).isEqualTo(dev.distillation.api.v1alpha1.StagePhase.Failed);
        assertThat(refused.getMessage()).contains("the trainer reported no validationAccuracy although the chain holds out a "
                + "validation split: its image predates validation splits; use a trainer image as new as the operator");
        assertThat(old.plan().results()).isEmpty();

        StageStatus accepted = current.plan().stages().get(0);
        assertThat(accepted.getPhase()).isEqualTo(dev.distillation.api.v1alpha1.StagePhase.Succeeded);
        assertThat(accepted.getMetrics().getValidationAccuracy()).isEqualTo(0.9);
        assertThat(world().pod("teacher", 1, 0, succeeded("{\"testAccuracy\":0.91}")).plan().stages().get(0).getPhase())
                .as("without a split, no validation accuracy is expected").isEqualTo(dev.distillation.api.v1alpha1.StagePhase.Succeeded);
    }

    @Test
    void unschedulablePodSurfacesTheSchedulersMessageOnce() {
        Plan plan = world().pod("teacher", 1, 0, unschedulable("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Pending);
        assertThat(teacher.getMessage()).isEqualTo("Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
        assertThat(plan.events()).filteredOn(e -> e.reason().equals("Unschedulable"))
                .singleElement().satisfies(e -> assertThat(e.key()).isEqualTo("cifar10-plain-cnn-teacher-a1.unschedulable"));
    }

    @Test
    void failedStageMessageNamesAttemptsAndTheTrainersError() {
        Plan plan = world().spec(c -> c.getSpec().setBackoffLimit(0))
                .pod("teacher", 1, 0, trainerFailed(1, "Exception in thread \"main\" ai.djl.engine.EngineException: CUDA out of memory\n"
                        + "\tat ai.djl.pytorch.jni.PyTorchLibrary.torchMatmul(Native Method)")).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getFailures()).isEqualTo(1);
        assertThat(teacher.getMessage()).isEqualTo("failed after 1 attempt (backoffLimit 0): pod cifar10-plain-cnn-teacher-a1 crashed "
                + "(exit code 1): ai.djl.engine.EngineException: CUDA out of memory");
        assertThat(plan.stages().get(1).getMessage()).isEqualTo("not run: teacher stage 'teacher' failed");
        assertThat(plan.events()).extracting(StageEvent::reason).containsExactly("StageFailed");
    }

    @Test
    void failureThatARetryRepeatsSaysSoAndQuotesTheTrainer() {
        Plan plan = world().pod("teacher", 1, 0, trainerFailed(2, "error: teacher checkpoint /teacher/model.params is corrupt")).plan();

        StageStatus teacher = plan.stages().get(0);
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Failed);
        assertThat(teacher.getAttempts()).isEqualTo(1);
        assertThat(teacher.getMessage()).isEqualTo("failed, not retried: pod cifar10-plain-cnn-teacher-a1: bad input (exit code 2): "
                + "teacher checkpoint /teacher/model.params is corrupt");
        assertThat(plan.launches()).isEmpty();
        assertThat(plan.events()).extracting(StageEvent::reason).containsExactly("StageFailed");
    }

    @Test
    void retryCarriesTheFailureCountIntoTheNextPod() {
        Plan plan = world().pod("teacher", 1, 0, trainerFailed(1, "boom")).pod("teacher", 2, 1, evicted()).plan();

        assertThat(plan.launches()).filteredOn(l -> l.stage().equals("teacher")).singleElement().satisfies(l -> {
            assertThat(l.attempt().number()).isEqualTo(3);
            assertThat(l.attempt().fingerprintAttempt()).isEqualTo(3);
            assertThat(l.attempt().failuresBefore()).isEqualTo(1);
            assertThat(l.retryReason()).isEqualTo(Plan.RetryReason.Disruption);
        });
    }

    @Test
    void samePlanTwice() {
        PlannerWorld w = world().done("teacher", 0.9).pod("assistant", 1, 0, running());

        assertThat(w.plan()).isEqualTo(w.plan());
    }
}
