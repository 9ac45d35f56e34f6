package dev.distillation.operator;

import dev.distillation.api.ChainFileException;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.managed.TrainerResult;
import dev.distillation.operator.resources.StagePodBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.nio.file.Path;

/** Fixtures: the repository's example chains, and Pods in the states a kubelet would put them in. */
public final class TestChains {

    public static final String CREATED = "2026-01-01T10:00:00Z";
    public static final String FINISHED = "2026-01-01T10:30:00Z";

    private TestChains() {}

    /** examples/&lt;name&gt;.yaml, so the examples cannot rot. */
    public static DistillationChain example(String name) {
        try {
            DistillationChain chain = ChainYaml.read(Path.of("..", "examples", name + ".yaml"));
            chain.getMetadata().setNamespace("ml");
            chain.getMetadata().setUid("uid-" + chain.getMetadata().getName());
            chain.getMetadata().setGeneration(1L);
            return chain;
        } catch (ChainFileException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The paper's chain: teacher → assistant → student, plus student-direct and student-alone. */
    public static DistillationChain paper() {
        return example("cifar10-plain-cnn");
    }

    public static Pod pod(DistillationChain chain, String stage, String fingerprint, int attempt, int fpAttempt, int failuresBefore) {
        Pod pod = StagePodBuilder.build(chain, stage, fingerprint, new Attempt(attempt, fpAttempt, failuresBefore),
                OperatorSettings.Values.DEFAULTS);
        pod.getMetadata().setCreationTimestamp(CREATED);
        return pod;
    }

    public static Pod withStatus(Pod pod, PodStatus status) {
        return new PodBuilder(pod).withStatus(status).build();
    }

    public static PodStatus running() {
        return new PodStatusBuilder().withPhase("Running").build();
    }

    public static PodStatus unschedulable(String message) {
        return new PodStatusBuilder().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(message).endCondition()
                .build();
    }

    public static PodStatus succeeded(String terminationMessage) {
        return succeeded(terminationMessage, FINISHED);
    }

    /** Succeeded, the trainer having written {@code terminationMessage} and finished at {@code finishedAt}. */
    public static PodStatus succeeded(String terminationMessage, String finishedAt) {
        return new PodStatusBuilder().withPhase("Succeeded")
                .withContainerStatuses(new ContainerStatusBuilder().withName(StagePodBuilder.CONTAINER)
                        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                        .withMessage(terminationMessage).withStartedAt(CREATED).withFinishedAt(finishedAt).endTerminated().endState()
                        .build())
                .build();
    }

    public static PodStatus succeeded(double accuracy) {
        return succeeded(metricsJson(accuracy));
    }

    public static String metricsJson(double accuracy) {
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(accuracy);
        m.setTestLoss(0.5);
        m.setEpochs(2);
        m.setTrainSeconds(12.5);
        m.setExport("export");
        return TrainerResult.toJson(m);
    }

    public static PodStatus trainerFailed(int exitCode, String log) {
        return new PodStatusBuilder().withPhase("Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(StagePodBuilder.CONTAINER)
                        .withNewState().withNewTerminated().withExitCode(exitCode).withReason("Error")
                        .withMessage(log).withFinishedAt(FINISHED).endTerminated().endState()
                        .build())
                .build();
    }

    public static PodStatus evicted() {
        return new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build();
    }
}
