package dev.distillation.e2e.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real node of the e2e cluster (e2e/cluster/node.sh): containerd, runc and a kubelet on this
 * machine, tainted so that only Pods meant for it land there, with local volumes of its own
 * StorageClass, running the images built from the project's Dockerfiles.
 */
public record RealNode(String name, String label, String storageClass, String trainerImage, String operatorImage,
                       String containerdAddress, String apiHost, int apiPort) {

    static RealNode from(Map<String, String> env) {
        if (!"true".equals(env.get("DISTILL_E2E_REAL_NODE"))) {
            throw new IllegalStateException("the e2e cluster was started without its real node");
        }
        return new RealNode(env.get("DISTILL_E2E_NODE_NAME"), env.get("DISTILL_E2E_NODE_LABEL"),
                env.get("DISTILL_E2E_NODE_STORAGE_CLASS"), env.get("DISTILL_E2E_TRAINER_IMAGE"),
                env.get("DISTILL_E2E_OPERATOR_IMAGE"), env.get("DISTILL_E2E_CONTAINERD_ADDRESS"),
                env.get("DISTILL_E2E_API_HOST"), Integer.parseInt(env.get("DISTILL_E2E_API_PORT")));
    }

    /**
     * Puts a chain's stage Pods on this node and its volumes on this node's local storage, with
     * the user-facing fields a user would set: {@code spec.trainer.nodeSelector},
     * {@code spec.trainer.tolerations} and {@code spec.storage.storageClassName}.
     */
    public ObjectNode place(ObjectNode chain) {
        ObjectNode spec = (ObjectNode) chain.get("spec");
        ObjectNode trainer = spec.has("trainer") ? (ObjectNode) spec.get("trainer") : spec.putObject("trainer");
        trainer.putObject("nodeSelector").put(label, "true");
        ArrayNode tolerations = trainer.putArray("tolerations");
        tolerations.addObject().put("key", label).put("operator", "Exists").put("effect", "NoSchedule");
        ObjectNode storage = spec.has("storage") ? (ObjectNode) spec.get("storage") : spec.putObject("storage");
        storage.put("storageClassName", storageClass);
        return chain;
    }

    /** The host folder behind a claim bound to one of this node's local volumes. */
    public Path volumePath(KubernetesClient client, String namespace, String claim) {
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
        if (pvc == null || pvc.getSpec().getVolumeName() == null) {
            throw new IllegalStateException("claim " + namespace + "/" + claim + " is not bound");
        }
        PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        if (pv.getSpec().getLocal() == null) {
            throw new IllegalStateException("volume " + pv.getMetadata().getName() + " is not one of the real node's local volumes");
        }
        return Path.of(pv.getSpec().getLocal().getPath());
    }

    /**
     * Kills the main process of a Pod's container with SIGKILL through containerd, as a crash or
     * the kernel's OOM killer would: the Pod and its sandbox stay, the container ends with 137.
     */
    public void killContainer(TestCluster cluster, Pod pod) {
        String id = pod.getStatus().getContainerStatuses().get(0).getContainerID();
        if (id == null || !id.startsWith("containerd://")) {
            throw new IllegalStateException("pod " + pod.getMetadata().getName() + " has no containerd container yet: " + id);
        }
        Scripts.capture(cluster.repoRoot(), Duration.ofSeconds(30), Map.of(),
                "ctr", "--address", containerdAddress, "-n", "k8s.io", "tasks", "kill", "--signal", "SIGKILL",
                id.substring("containerd://".length()));
    }
}
