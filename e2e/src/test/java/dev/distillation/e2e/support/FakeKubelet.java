package dev.distillation.e2e.support;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends trainer Pods the way a kubelet would: kwok moves scheduled Pods to Running, and the tests
 * decide how each ends by writing the Pod's status subresource — phase Succeeded with the
 * trainer's metrics JSON as the container's termination message, or Failed with an exit code
 * and message. kwok's stage rules (e2e/cluster/kwok-stages.yaml) leave terminal Pods alone.
 */
public final class FakeKubelet {

    private final KubernetesClient client;

    public FakeKubelet(KubernetesClient client) {
        this.client = client;
    }

    /** The trainer finished: exit code 0, {@code terminationMessage} (compact JSON metrics). */
    public void succeed(Pod pod, String terminationMessage) {
        terminate(pod, "Succeeded", 0, "Completed", terminationMessage, null);
    }

    /** The trainer failed with {@code exitCode} and {@code message}. */
    public void fail(Pod pod, int exitCode, String message) {
        terminate(pod, "Failed", exitCode, "Error", message, null);
    }

    /** The kubelet evicted the Pod (e.g. node memory pressure): phase Failed, reason Evicted. */
    public void evict(Pod pod) {
        terminate(pod, "Failed", 137, "Evicted", null, "Evicted");
    }

    /**
     * The trainer container runs, at {@code podIp}: phase Running, the container started and ready.
     * For Pods no node runs (kwok moves only the Pods it schedules), e.g. to point the operator's
     * progress questions at a stand-in trainer.
     */
    public void run(Pod pod, String podIp) {
        retryOnConflict(() -> {
            String now = Instant.now().toString();
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
                Container container = p.getSpec().getContainers().get(0);
                p.getStatus().setPhase("Running");
                p.getStatus().setPodIP(podIp);
                p.getStatus().setPodIPs(List.of(new PodIP(podIp)));
                p.getStatus().setStartTime(now);
                p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(container.getName())
                        .withImage(container.getImage()).withImageID("").withReady(true).withRestartCount(0).withStarted(true)
                        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(now).endRunning().build()).build()));
                return p;
            });
        });
    }

    private void terminate(Pod pod, String phase, int exitCode, String containerReason, String message, String podReason) {
        retryOnConflict(() -> writeTerminated(pod, phase, exitCode, containerReason, message, podReason));
    }

    private static void retryOnConflict(Runnable write) {
        // the scheduler and kwok write the same status; like a kubelet, retry on a conflict with a fresh read
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private void writeTerminated(Pod pod, String phase, int exitCode, String containerReason, String message, String podReason) {
        String now = Instant.now().toString();
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
            List<ContainerStatus> statuses = new ArrayList<>();
            String container = p.getSpec().getContainers().get(0).getName();
            ContainerState terminated = new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(exitCode).withReason(containerReason).withMessage(message)
                    .withStartedAt(p.getStatus().getStartTime() == null ? now : p.getStatus().getStartTime())
                    .withFinishedAt(now).endTerminated().build();
            statuses.add(new ContainerStatusBuilder().withName(container).withImage(p.getSpec().getContainers().get(0).getImage())
                    .withImageID("").withReady(false).withRestartCount(0).withStarted(false).withState(terminated).build());
            p.getStatus().setPhase(phase);
            p.getStatus().setReason(podReason);
            p.getStatus().setContainerStatuses(statuses);
            for (PodCondition c : p.getStatus().getConditions() == null ? List.<PodCondition>of() : p.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                    c.setStatus("False");
                    c.setReason("PodCompleted");
                    c.setLastTransitionTime(now);
                }
            }
            return p;
        });
    }
}
