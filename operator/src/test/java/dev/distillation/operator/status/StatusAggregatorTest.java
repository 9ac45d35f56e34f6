package dev.distillation.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.TestChains;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusAggregatorTest {

    static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-01T11:00:00Z");
    static final String[] NAMES = {"teacher", "assistant", "student", "student-direct", "student-alone"};

    /** Stage states from a compact string like "Succeeded:0.912 Running Waiting ...", in spec order. */
    static List<StageStatus> stages(String spec) {
        String[] parts = spec.trim().split("\\s+");
        List<StageStatus> result = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String[] p = parts[i].split(":");
            StageStatus s = new StageStatus();
            s.setName(NAMES[i]);
            s.setPhase(StagePhase.valueOf(p[0]));
            if (p.length > 1) {
                StageMetrics m = new StageMetrics();
                m.setTestAccuracy(Double.parseDouble(p[1]));
                s.setMetrics(m);
            }
            if (s.getPhase() == StagePhase.Failed) {
                s.setMessage("failed after 3 attempts");
            }
            result.add(s);
        }
        return result;
    }

    static String conditions(DistillationChainStatus status) {
        return status.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource(delimiter = '|', value = {
            "Pending Waiting Waiting Waiting Pending                               | false | Pending   | Valid=True/SpecValid Progressing=True/StagesPending Ready=False/StagesPending Failed=False/NoStageFailed | 0/5 | teacher,student-alone",
            "Running Waiting Waiting Waiting Pending                               | false | Running   | Valid=True/SpecValid Progressing=True/StagesRunning Ready=False/StagesRunning Failed=False/NoStageFailed | 0/5 | teacher,student-alone",
            "Succeeded:0.9 Running Waiting Waiting Succeeded:0.8                   | false | Running   | Valid=True/SpecValid Progressing=True/StagesRunning Ready=False/StagesRunning Failed=False/NoStageFailed | 2/5 | assistant",
            "Succeeded:0.9 Running Waiting Waiting Succeeded:0.8                   | true  | Suspended | Valid=True/SpecValid Progressing=False/Suspended Ready=False/Suspended Failed=False/NoStageFailed | 2/5 | assistant",
            "Failed Skipped Skipped Skipped Running                                | false | Failed    | Valid=True/SpecValid Progressing=False/StageFailed Ready=False/StageFailed Failed=True/StageFailed | 0/5 | student-alone",
            "Succeeded:0.9 Succeeded:0.88 Succeeded:0.84 Succeeded:0.83 Succeeded:0.82 | false | Succeeded | Valid=True/SpecValid Progressing=False/ChainSucceeded Ready=True/ChainSucceeded Failed=False/NoStageFailed | 5/5 | ",
    })
    void phaseConditionsProgressAndActiveStages(String stageStates, boolean suspend, ChainPhase phase, String conditions,
                                                String progress, String active) {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().setSuspend(suspend);

        DistillationChainStatus status = StatusAggregator.aggregate(chain, stages(stageStates), T1);

        assertThat(status.getPhase()).isEqualTo(phase);
        assertThat(conditions(status)).isEqualTo(conditions);
        assertThat(status.getProgress()).isEqualTo(progress);
        assertThat(status.getActiveStages()).isEqualTo(active);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
            assertThat(c.getMessage()).isNotBlank();
        });
    }

    @Test
    void summaryComparesTheStudentWithItsTeacherAndBaselines() {
        DistillationChainStatus status = StatusAggregator.aggregate(TestChains.paper(),
                stages("Succeeded:0.912 Succeeded:0.87 Succeeded:0.841 Succeeded:0.832 Succeeded:0.82"), T1);

        assertThat(status.getSummary()).isEqualTo("student 84.1% (teacher 91.2%, student-direct 83.2%, student-alone 82.0%)");
        assertThat(status.getBestAccuracy()).isEqualTo("87.0%");
        assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).isEqualTo(status.getSummary()));
    }

    @ParameterizedTest(name = "{0} → summary \"{1}\", best \"{2}\"")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "Running Waiting Waiting Waiting Running                           | -                                      | -",
            "Succeeded:0.912 Running Waiting Waiting Succeeded:0.82             | teacher 91.2%, student-alone 82.0%     | -",
            "Succeeded:0.912 Succeeded:0.9 Running Succeeded:0.832 Running       | teacher 91.2%, student-direct 83.2%    | 90.0%",
    })
    void partialResults(String stageStates, String summary, String best) {
        DistillationChainStatus status = StatusAggregator.aggregate(TestChains.paper(), stages(stageStates), T1);

        assertThat(status.getSummary()).isEqualTo(summary);
        assertThat(status.getBestAccuracy()).isEqualTo(best);
    }

    @Test
    void lastTransitionTimeIsKeptWhileStatusIsUnchanged() {
        DistillationChain chain = TestChains.paper();
        chain.setStatus(StatusAggregator.aggregate(chain, stages("Running Waiting Waiting Waiting Running"), T1));

        DistillationChainStatus later = StatusAggregator.aggregate(chain, stages("Succeeded:0.9 Running Waiting Waiting Running"), T2);

        assertThat(later.getConditions()).extracting(Condition::getType, Condition::getLastTransitionTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Valid", "2026-01-01T10:00:00Z"),
                org.assertj.core.groups.Tuple.tuple("Progressing", "2026-01-01T10:00:00Z"),
                org.assertj.core.groups.Tuple.tuple("Ready", "2026-01-01T10:00:00Z"),
                org.assertj.core.groups.Tuple.tuple("Failed", "2026-01-01T10:00:00Z"));

        chain.setStatus(later);
        DistillationChainStatus failed = StatusAggregator.aggregate(chain, stages("Succeeded:0.9 Failed Skipped Waiting Running"), T2);
        assertThat(failed.getConditions()).extracting(Condition::getType, Condition::getLastTransitionTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Valid", "2026-01-01T10:00:00Z"),
                org.assertj.core.groups.Tuple.tuple("Progressing", "2026-01-01T11:00:00Z"),
                org.assertj.core.groups.Tuple.tuple("Ready", "2026-01-01T10:00:00Z"),
                org.assertj.core.groups.Tuple.tuple("Failed", "2026-01-01T11:00:00Z"));
    }

    @Test
    void sameInputsGiveAnEqualStatus() {
        DistillationChain chain = TestChains.paper();
        chain.setStatus(StatusAggregator.aggregate(chain, stages("Running Waiting Waiting Waiting Running"), T1));

        assertThat(StatusAggregator.aggregate(chain, stages("Running Waiting Waiting Waiting Running"), T2)).isEqualTo(chain.getStatus());
    }

    @Test
    void invalidSpecNamesTheField() {
        DistillationChain chain = TestChains.paper();

        DistillationChainStatus status = StatusAggregator.invalid(chain,
                List.of(new ValidationError("spec.stages[1].teacher", "every stage's teacher must name a stage of this chain")),
                StatusAggregator.InvalidReason.InvalidSpec, T1);

        assertThat(status.getPhase()).isEqualTo(ChainPhase.Invalid);
        assertThat(conditions(status)).isEqualTo("Valid=False/InvalidSpec Progressing=False/InvalidSpec Ready=False/InvalidSpec Failed=False/InvalidSpec");
        assertThat(status.getConditions().get(0).getMessage())
                .isEqualTo("spec.stages[1].teacher: every stage's teacher must name a stage of this chain");
    }

    @Test
    void policyViolationSaysSoInEveryCondition() {
        DistillationChainStatus status = StatusAggregator.invalid(TestChains.paper(),
                List.of(new ValidationError("spec.trainer.tolerations", "the operator's policy does not let chains tolerate taints")),
                StatusAggregator.InvalidReason.PolicyViolation, T1);

        assertThat(status.getPhase()).isEqualTo(ChainPhase.Invalid);
        assertThat(conditions(status)).isEqualTo(
                "Valid=False/PolicyViolation Progressing=False/PolicyViolation Ready=False/PolicyViolation Failed=False/PolicyViolation");
    }

    @Test
    void aPodKubernetesRefusedAsInvalidMakesTheChainInvalidButKeepsItsStages() {
        DistillationChain chain = TestChains.paper();
        StageStatus teacher = new StageStatus();
        teacher.setName("teacher");
        teacher.setPhase(dev.distillation.api.v1alpha1.StagePhase.Waiting);

        DistillationChainStatus status = StatusAggregator.refused(chain, List.of(teacher),
                List.of(new ValidationError("spec.trainer.resources", "Kubernetes refused pod x (Invalid): must be less than or equal to memory limit")),
                T1);

        assertThat(status.getPhase()).isEqualTo(ChainPhase.Invalid);
        assertThat(status.getStages()).containsExactly(teacher);
        assertThat(status.getConditions().get(0).getReason()).isEqualTo("RefusedByKubernetes");
        assertThat(status.getConditions().get(0).getMessage()).startsWith("spec.trainer.resources: Kubernetes refused pod x (Invalid)");
    }
}
