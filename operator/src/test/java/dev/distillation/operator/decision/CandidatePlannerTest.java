package dev.distillation.operator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.CandidateStatus;
import dev.distillation.api.v1alpha1.CandidatesSpec;
import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.managed.ObjectNames;
import dev.distillation.operator.managed.RecordedResult;
import dev.distillation.operator.managed.StageAnnotations;
import dev.distillation.operator.managed.TrainerResult;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.resources.StagePodBuilder;
import dev.distillation.operator.resources.StageVolumeBuilder;
import dev.distillation.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A chain teacher → assistant (choosing a temperature among 2, 4 and, in one test, 8) → student, planned on a
 * cluster state built by hand: which candidates start, when the stage chooses, and what its student learns from.
 */
class CandidatePlannerTest {

    static final Instant NOW = ChainPlannerTest.NOW;
    static final String T2 = "assistant-d4-w1-t2-a0.9";
    static final String T4 = "assistant-d4-w1-t4-a0.9";
    static final String T8 = "assistant-d4-w1-t8-a0.9";

    final DistillationChain chain = chain(List.of(2.0, 4.0));
    final List<Pod> pods = new ArrayList<>();
    final List<PersistentVolumeClaim> volumes = new ArrayList<>();

    static DistillationChain chain(List<Double> temperatures) {
        DistillationChain chain = TestChains.example("quickstart");
        chain.getSpec().getDataset().setValidation(new ValidationSplit(1000, null));
        chain.getSpec().setParallelism(2);
        chain.getSpec().setBackoffLimit(0);
        // Volumes several nodes mount at once: the candidates all mount their teacher's (ReadWriteOnce is ChainPlannerPlacementTest's).
        chain.getSpec().setStorage(new dev.distillation.api.v1alpha1.StorageSpec());
        chain.getSpec().getStorage().setAccessModes(List.of(dev.distillation.api.v1alpha1.AccessMode.READ_WRITE_MANY));
        TrainingSpec training = new TrainingSpec();
        training.setAlpha(0.9);
        chain.getSpec().setTraining(training);
        StageSpec assistant = stage("assistant", "teacher", 4);
        assistant.setCandidates(new CandidatesSpec(null, temperatures, null));
        chain.getSpec().setStages(new ArrayList<>(List.of(stage("teacher", null, 6), assistant, stage("student", "assistant", 2))));
        return chain;
    }

    static StageSpec stage(String name, String teacher, int depth) {
        StageSpec s = new StageSpec();
        s.setName(name);
        s.setTeacher(teacher);
        ModelSpec model = new ModelSpec();
        model.setArchitecture(Architecture.PLAIN_CNN);
        model.setDepth(depth);
        s.setModel(model);
        return s;
    }

    /** The fingerprints of the chain with each listing stage's choice made, as a plain chain written with those values. */
    Map<String, String> fingerprints(Map<String, String> choices) {
        return Fingerprints.of(CandidateExpansion.of(chain, choices).effective().getSpec());
    }

    void recorded(String stage, Map<String, String> choices, double validationAccuracy) {
        PersistentVolumeClaim v = StageVolumeBuilder.build(chain, stage);
        v.getMetadata().setAnnotations(StageAnnotations.ofResult(new RecordedResult(fingerprints(choices).get(stage),
                TrainerResult.parse(metrics(validationAccuracy)).metrics(), ObjectNames.pod(chain.getMetadata().getName(), stage, 1),
                1, 0, null, TestChains.FINISHED, chain.getMetadata().getUid(), null)));
        volumes.add(v);
    }

    void pod(String stage, io.fabric8.kubernetes.api.model.PodStatus status) {
        DistillationChain effective = CandidateExpansion.of(chain, Map.of()).effective();
        pods.add(TestChains.withStatus(TestChains.pod(effective, stage, fingerprints(Map.of()).get(stage), 1, 1, 0), status));
        volumes.add(StageVolumeBuilder.build(chain, stage));
    }

    static String metrics(double validationAccuracy) {
        StageMetrics m = new StageMetrics();
        m.setValidationAccuracy(validationAccuracy);
        m.setValidationLoss(0.5);
        m.setTestAccuracy(validationAccuracy - 0.01);
        m.setTestLoss(0.5);
        m.setEpochs(3);
        return TrainerResult.toJson(m);
    }

    CandidatePlanner.Result plan() {
        return CandidatePlanner.plan(chain, ObservedChain.of(pods, volumes), fps -> Map.of(), NOW);
    }

    static StageStatus row(List<StageStatus> stages, String name) {
        return stages.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    List<StageStatus> folded(CandidatePlanner.Result r) {
        return r.fold(chain, r.plan().stages());
    }

    @Test
    void beforeTheTeacherFinishesOnlyItStartsAndTheStageListsItsCandidatesAsWaiting() {
        CandidatePlanner.Result r = plan();

        assertThat(r.plan().launches()).extracting(Plan.Launch::stage).containsExactly("teacher");
        List<StageStatus> stages = folded(r);
        assertThat(stages).extracting(StageStatus::getName).containsExactly("teacher", "assistant", "student");
        StageStatus assistant = row(stages, "assistant");
        assertThat(assistant.getPhase()).isEqualTo(StagePhase.Waiting);
        assertThat(assistant.getSelected()).isNull();
        assertThat(assistant.getCandidates()).extracting(CandidateStatus::getName, CandidateStatus::getPhase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(T2, StagePhase.Waiting), org.assertj.core.groups.Tuple.tuple(T4, StagePhase.Waiting));
        assertThat(row(stages, "student").getPhase()).isEqualTo(StagePhase.Waiting);
        assertThat(row(stages, "student").getMessage()).isEqualTo("waiting for stage assistant to choose among its candidates");
    }

    @Test
    void everyCandidateStartsWithinParallelismAndTheStudentWaitsForTheChoice() {
        recorded("teacher", Map.of(), 0.9);

        CandidatePlanner.Result r = plan();

        assertThat(r.plan().launches()).extracting(Plan.Launch::stage).containsExactly(T2, T4);
        assertThat(r.plan().volumesToCreate()).containsExactly(T2, T4);
        List<StageStatus> stages = folded(r);
        StageStatus assistant = row(stages, "assistant");
        assertThat(assistant.getPhase()).isEqualTo(StagePhase.Pending);
        assertThat(assistant.getMessage()).isEqualTo("0 of 2 candidates ended; it chooses once all have");
        assertThat(row(stages, "student").getPhase()).isEqualTo(StagePhase.Waiting);
        assertThat(StatusAggregator.aggregate(chain, stages, NOW).getActiveStages()).isEqualTo("assistant 0/2");
    }

    @Test
    void parallelismBoundsHowManyCandidatesRunAtOnce() {
        chain.getSpec().setParallelism(1);
        recorded("teacher", Map.of(), 0.9);

        assertThat(plan().plan().launches()).extracting(Plan.Launch::stage).containsExactly(T2);
    }

    @Test
    void onceAllEndedTheHighestValidationAccuracyIsChosenAndTheStudentLearnsFromIt() {
        recorded("teacher", Map.of(), 0.9);
        recorded(T2, Map.of(), 0.81);
        recorded(T4, Map.of(), 0.84);

        CandidatePlanner.Result r = plan();

        assertThat(r.choices()).containsExactly(Map.entry("assistant", T4));
        assertThat(r.plan().launches()).extracting(Plan.Launch::stage).containsExactly("student");
        // The student's fingerprint is the one it has in a plain chain whose assistant is written with T=4.
        DistillationChain plain = chain(List.of(4.0));
        plain.getSpec().getStages().get(1).setCandidates(null);
        plain.getSpec().getStages().get(1).setTraining(new TrainingSpec());
        plain.getSpec().getStages().get(1).getTraining().setTemperature(4.0);
        assertThat(r.plan().launches().get(0).fingerprint()).isEqualTo(Fingerprints.of(plain.getSpec()).get("student"));
        // ... and its Pod mounts the chosen candidate's volume as its teacher.
        Pod student = StagePodBuilder.build(r.expansion().effective(), "student", r.plan().launches().get(0).fingerprint(),
                new dev.distillation.operator.managed.Attempt(1, 1, 0), dev.distillation.operator.config.OperatorSettings.Values.DEFAULTS);
        assertThat(student.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("teacher");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(chain.getMetadata().getName() + "-" + T4);
        });

        StageStatus assistant = row(folded(r), "assistant");
        assertThat(assistant.getPhase()).isEqualTo(StagePhase.Succeeded);
        assertThat(assistant.getSelected()).isEqualTo(T4);
        assertThat(assistant.getFingerprint()).isEqualTo(Fingerprints.of(plain.getSpec()).get("assistant"));
        assertThat(assistant.getMetrics().getValidationAccuracy()).isEqualTo(0.84);
        assertThat(assistant.getCheckpoint().getClaimName()).isEqualTo(chain.getMetadata().getName() + "-" + T4);
        assertThat(assistant.getCandidates()).extracting(CandidateStatus::getName, CandidateStatus::getValidationAccuracy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(T2, 0.81), org.assertj.core.groups.Tuple.tuple(T4, 0.84));
        assertThat(assistant.getMessage()).isEqualTo("chose " + T4 + " of 2 candidates by validation accuracy (84.0%)");
        assertThat(r.plan().events()).filteredOn(e -> e.reason().equals(StageEvent.CANDIDATE_CHOSEN))
                .extracting(StageEvent::stage, StageEvent::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("assistant",
                        "stage assistant chose " + T4 + " of 2 candidates by validation accuracy (84.0%)"));
    }

    @Test
    void aNewChoiceIsANewEventAndTheSameChoiceTheSameOne() {
        recorded("teacher", Map.of(), 0.9);
        recorded(T2, Map.of(), 0.81);
        recorded(T4, Map.of(), 0.84);
        String first = chosenEventKey(plan());
        assertThat(chosenEventKey(plan())).as("the next reconcile records nothing new").isEqualTo(first);

        chain.getSpec().getStages().get(1).setCandidates(new CandidatesSpec(null, List.of(2.0, 4.0, 8.0), null));
        recorded(T8, Map.of(), 0.86);

        assertThat(chosenEventKey(plan())).isNotEqualTo(first);
    }

    static String chosenEventKey(CandidatePlanner.Result r) {
        return r.plan().events().stream().filter(e -> e.reason().equals(StageEvent.CANDIDATE_CHOSEN)).map(StageEvent::key)
                .reduce((a, b) -> a + "," + b).orElseThrow();
    }

    @Test
    void aFailedCandidateFailsNeitherTheStageNorTheChainWhileAnotherRuns() {
        recorded("teacher", Map.of(), 0.9);
        pod(T2, TestChains.trainerFailed(1, "training failed: loss is NaN"));
        pod(T4, TestChains.running());

        CandidatePlanner.Result r = plan();
        List<StageStatus> stages = folded(r);

        StageStatus assistant = row(stages, "assistant");
        assertThat(assistant.getPhase()).isEqualTo(StagePhase.Running);
        assertThat(assistant.getCandidates().get(0).getPhase()).isEqualTo(StagePhase.Failed);
        assertThat(StatusAggregator.aggregate(chain, stages, NOW).getPhase()).isEqualTo(ChainPhase.Running);
        assertThat(r.plan().podsToDelete()).isEmpty();
    }

    @Test
    void theCandidateThatSucceededIsChosenWhenTheOtherFailed() {
        recorded("teacher", Map.of(), 0.9);
        pod(T2, TestChains.trainerFailed(1, "training failed: loss is NaN"));
        recorded(T4, Map.of(), 0.7);

        CandidatePlanner.Result r = plan();

        assertThat(r.choices()).containsExactly(Map.entry("assistant", T4));
        assertThat(r.plan().launches()).extracting(Plan.Launch::stage).containsExactly("student");
    }

    @Test
    void whenNoCandidateSucceededTheStageFailsAndItsStudentIsSkipped() {
        chain.getSpec().getStages().add(stage("student-alone", null, 2));
        chain.getSpec().setParallelism(3);
        recorded("teacher", Map.of(), 0.9);
        pod(T2, TestChains.trainerFailed(1, "training failed: loss is NaN"));
        pod(T4, TestChains.trainerFailed(1, "training failed: loss is NaN"));

        CandidatePlanner.Result r = plan();
        List<StageStatus> stages = folded(r);

        assertThat(r.unchosen()).containsExactly("assistant");
        assertThat(r.plan().launches()).isEmpty();
        assertThat(row(stages, "assistant").getPhase()).isEqualTo(StagePhase.Failed);
        assertThat(row(stages, "assistant").getMessage()).startsWith("none of its 2 candidates succeeded");
        assertThat(row(stages, "student").getPhase()).isEqualTo(StagePhase.Skipped);
        assertThat(row(stages, "student-alone").getPhase()).isEqualTo(StagePhase.Skipped);
        assertThat(StatusAggregator.aggregate(chain, stages, NOW).getPhase()).isEqualTo(ChainPhase.Failed);
    }

    @Test
    void addingATemperatureTrainsOnlyTheNewCandidateAndTheStageChoosesAgainAfterIt() {
        recorded("teacher", Map.of(), 0.9);
        recorded(T2, Map.of(), 0.81);
        recorded(T4, Map.of(), 0.84);
        chain.getSpec().getStages().get(1).setCandidates(new CandidatesSpec(null, List.of(2.0, 4.0, 8.0), null));

        CandidatePlanner.Result r = plan();

        assertThat(r.plan().launches()).extracting(Plan.Launch::stage).containsExactly(T8);
        assertThat(r.choices()).isEmpty();
        StageStatus assistant = row(folded(r), "assistant");
        assertThat(assistant.getCandidates()).extracting(CandidateStatus::getPhase)
                .containsExactly(StagePhase.Succeeded, StagePhase.Succeeded, StagePhase.Pending);

        recorded(T8, Map.of(), 0.86);
        assertThat(plan().choices()).containsExactly(Map.entry("assistant", T8));
    }

    @Test
    void aChainWithoutCandidatesIsPlannedExactlyAsTheChainPlannerPlansIt() {
        DistillationChain plain = TestChains.paper();
        Map<String, String> fps = Fingerprints.of(plain.getSpec());

        CandidatePlanner.Result r = CandidatePlanner.plan(plain, ObservedChain.EMPTY, f -> Map.of(), NOW);

        assertThat(r.fingerprints()).isEqualTo(fps);
        assertThat(r.fold(plain, r.plan().stages())).isEqualTo(ChainPlanner.plan(plain, fps, ObservedChain.EMPTY, NOW).stages());
        assertThat(r.plan().launches()).isEqualTo(ChainPlanner.plan(plain, fps, ObservedChain.EMPTY, NOW).launches());
    }
}
