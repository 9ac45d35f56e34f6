package dev.distillation.operator.observer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.operator.TestChains;
import dev.distillation.operator.observer.PodView.Outcome;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodViewTest {

    static Pod pod(PodStatus status) {
        return TestChains.withStatus(TestChains.pod(TestChains.paper(), "teacher", "sha256:x", 2, 2, 1), status);
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("no status yet", pod(null), Outcome.ACTIVE, 1),
                Arguments.of("pending", pod(TestChains.unschedulable("no GPU")), Outcome.ACTIVE, 1),
                Arguments.of("running", pod(TestChains.running()), Outcome.ACTIVE, 1),
                Arguments.of("succeeded", pod(TestChains.succeeded(0.9)), Outcome.SUCCEEDED, 1),
                Arguments.of("trainer exit 1", pod(TestChains.trainerFailed(1, "boom")), Outcome.TRAINER_FAILED, 2),
                Arguments.of("OOMKilled counts", pod(new PodStatusBuilder().withPhase("Failed")
                        .withContainerStatuses(new ContainerStatusBuilder().withNewState().withNewTerminated().withExitCode(137)
                                .withReason("OOMKilled").endTerminated().endState().build()).build()), Outcome.TRAINER_FAILED, 2),
                Arguments.of("evicted", pod(TestChains.evicted()), Outcome.DISRUPTED, 1),
                Arguments.of("preempted by a higher priority pod", pod(new PodStatusBuilder().withPhase("Failed").withReason("Preempting").build()),
                        Outcome.DISRUPTED, 1),
                Arguments.of("node lost", pod(new PodStatusBuilder().withPhase("Failed").withReason("NodeLost").build()), Outcome.DISRUPTED, 1),
                Arguments.of("DisruptionTarget condition", pod(new PodStatusBuilder(TestChains.trainerFailed(143, ""))
                        .addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("TerminationByKubelet").endCondition()
                        .build()), Outcome.DISRUPTED, 1),
                Arguments.of("failed without the container ever ending", pod(new PodStatusBuilder().withPhase("Failed").build()),
                        Outcome.DISRUPTED, 1)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void outcome(String name, Pod pod, Outcome outcome, int failuresThrough) {
        PodView v = new PodView(pod);

        assertThat(v.outcome()).isEqualTo(outcome);
        assertThat(v.failuresThrough()).isEqualTo(failuresThrough);
        assertThat(v.attempt().number()).isEqualTo(2);
        assertThat(v.stage()).isEqualTo("teacher");
    }
}
