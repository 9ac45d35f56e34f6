package dev.distillation.operator;

import dev.distillation.operator.managed.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** Plays the kubelet for the mock API server, which schedules and runs nothing: moves Pod status the way a node would. */
public final class Kubelet {

    private final KubernetesClient client;
    private final String namespace;

    public Kubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public List<Pod> pods(String chain) {
        return client.pods().inNamespace(namespace).withLabel(Labels.CHAIN, chain).list().getItems();
    }

    public Optional<Pod> pod(String name) {
        return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
    }

    public void status(String pod, PodStatus status) {
        client.pods().inNamespace(namespace).withName(pod).editStatus(p -> new PodBuilder(p).withStatus(status).build());
    }

    /** Plays the scheduler: binds the Pod to {@code node}. */
    public void schedule(String pod, String node) {
        client.pods().inNamespace(namespace).withName(pod).edit(p -> new PodBuilder(p).editSpec().withNodeName(node).endSpec().build());
    }

    /** Runs the Pod on the node it is bound to, else on {@value #NODE}, as a scheduler and kubelet would. */
    public void run(String pod) {
        if (pod(pod).map(p -> p.getSpec().getNodeName() == null).orElse(false)) {
            schedule(pod, NODE);
        }
        status(pod, TestChains.running());
    }

    public static final String NODE = "node-1";

    /** Runs the Pod, then ends it with the trainer's metrics in the termination message. */
    public void succeed(String pod, double accuracy) {
        run(pod);
        status(pod, TestChains.succeeded(accuracy));
    }

    public void fail(String pod, String log) {
        run(pod);
        status(pod, TestChains.trainerFailed(1, log));
    }

    public static boolean unfinished(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return phase == null || phase.equals("Pending") || phase.equals("Running");
    }
}
