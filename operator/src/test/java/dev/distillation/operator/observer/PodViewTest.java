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

    static PodStatus oomKilled() {
        return new PodStatusBuilder().withPhase("Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withNewState().withNewTerminated().withExitCode(137)
                        .withReason("OOMKilled").endTerminated().endState().build()).build();
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("no status yet", pod(null), Outcome.ACTIVE, 1),
                Arguments.of("pending", pod(TestChains.unschedulable("no GPU")), Outcome.ACTIVE, 1),
                Arguments.of("running", pod(TestChains.running()), Outcome.ACTIVE, 1),
                Arguments.of("succeeded", pod(TestChains.succeeded(0.9)), Outcome.SUCCEEDED, 1),
                Arguments.of("trainer crashed (exit 1): retried, counts", pod(TestChains.trainerFailed(1, "boom")), Outcome.TRAINER_FAILED, 2),
                Arguments.of("killed by a signal (exit 137): a crash", pod(TestChains.trainerFailed(137, "")), Outcome.TRAINER_FAILED, 2),
                Arguments.of("bad input (exit 2): not retried", pod(TestChains.trainerFailed(2, "error: bad")), Outcome.FAILED_FOR_GOOD, 2),
                Arguments.of("training failed (exit 3): not retried", pod(TestChains.trainerFailed(3, "error: diverged")),
                        Outcome.FAILED_FOR_GOOD, 2),
                Arguments.of("heap ran out (exit 4): not retried", pod(TestChains.trainerFailed(4, "error: out of memory")),
                        Outcome.FAILED_FOR_GOOD, 2),
                Arguments.of("OOMKilled: not retried", pod(oomKilled()), Outcome.FAILED_FOR_GOOD, 2),
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

    static Stream<Arguments> failureMessages() {
        String pod = "cifar10-plain-cnn-teacher-a2";
        return Stream.of(
                Arguments.of(TestChains.trainerFailed(1, "Exception in thread \"main\" java.lang.IllegalStateException: native error\n\tat x.Y.z(Y.java:1)"),
                        "pod " + pod + " crashed (exit code 1): java.lang.IllegalStateException: native error"),
                Arguments.of(TestChains.trainerFailed(2, "error: invalid StageJob field 'training.epochs': must be at least 1, got 0"),
                        "pod " + pod + ": bad input (exit code 2): invalid StageJob field 'training.epochs': must be at least 1, got 0"),
                Arguments.of(TestChains.trainerFailed(3, "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat a.B.c(B.java:3)"),
                        "pod " + pod + ": the trainer ran out of memory (exit code 3, memory limit 2Gi): raise spec.trainer.resources.memory: "
                                + "java.lang.OutOfMemoryError: Java heap space"),
                Arguments.of(TestChains.trainerFailed(4, "error: the loss diverged (NaN) at epoch 2"),
                        "pod " + pod + ": training failed (exit code 4), as it would again with the same settings: the loss diverged (NaN) at epoch 2"),
                Arguments.of(oomKilled(), "pod " + pod + " was killed for using more memory than its limit (OOMKilled, exit code 137, "
                        + "memory limit 2Gi): raise spec.trainer.resources.memory"),
                Arguments.of(TestChains.evicted(), "pod " + pod + " was ended by the cluster (Evicted): The node was low on resource: memory."));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failureMessages")
    void failureMessageSaysWhichKindOfFailureAndQuotesTheTrainer(PodStatus status, String message) {
        Pod p = pod(status);
        p.getSpec().getContainers().get(0).getResources().getLimits().put("memory", new io.fabric8.kubernetes.api.model.Quantity("2Gi"));

        assertThat(new PodView(p).failureMessage()).isEqualTo(message);
    }
}
