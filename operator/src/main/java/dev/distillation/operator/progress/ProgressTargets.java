package dev.distillation.operator.progress;

import dev.distillation.api.job.StageJob;
import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.resources.StagePodBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stage Pods the operator asks for progress, and where. Pure. A Pod qualifies while it runs,
 * has an IP and is not being deleted, and only when its trainer container declares the
 * {@value StagePodBuilder#PROGRESS_PORT_NAME} port: the Pod says where it serves, so Pods made by an
 * older operator (without the port) are never asked.
 */
public final class ProgressTargets {

    /** One Pod to ask. */
    public record Target(String stage, String pod, URI uri) {}

    private ProgressTargets() {}

    public static List<Target> of(Collection<Pod> pods) {
        return pods.stream().map(ProgressTargets::target).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Target::pod)).toList();
    }

    static Optional<Target> target(Pod pod) {
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase()) || pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        String ip = pod.getStatus().getPodIP();
        String stage = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Labels.STAGE);
        if (ip == null || ip.isBlank() || stage == null) {
            return Optional.empty();
        }
        return port(pod).map(port -> new Target(stage, pod.getMetadata().getName(),
                URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port + StageJob.PROGRESS_PATH)));
    }

    private static Optional<Integer> port(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return Optional.empty();
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> StagePodBuilder.CONTAINER.equals(c.getName()))
                .map(Container::getPorts).filter(Objects::nonNull).flatMap(List::stream)
                .filter(p -> StagePodBuilder.PROGRESS_PORT_NAME.equals(p.getName()))
                .map(ContainerPort::getContainerPort).filter(Objects::nonNull)
                .findFirst();
    }
}
