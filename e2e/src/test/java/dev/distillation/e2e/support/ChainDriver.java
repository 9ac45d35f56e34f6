package dev.distillation.e2e.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Drives one chain in a test namespace: applies it, finds its stage Pods, ends them through the
 * {@link FakeKubelet}, and waits on its status. Every wait is a condition with a deadline.
 */
public final class ChainDriver {

    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    public static final String CHAIN_LABEL = "distillation.dev/chain";
    public static final String STAGE_LABEL = "distillation.dev/stage";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final FakeKubelet kubelet;

    public ChainDriver(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.kubelet = new FakeKubelet(client);
    }

    /** Creates the chain from its document (its metadata.name is used) and returns a driver for it. */
    public static ChainDriver apply(KubernetesClient client, TestNamespace ns, ObjectNode chain) {
        var resource = Chains.toResource(chain, ns.name());
        Chains.api(client).inNamespace(ns.name()).resource(resource).create();
        return new ChainDriver(client, ns.name(), resource.getMetadata().getName());
    }

    public MixedOperation<DistillationChain, KubernetesResourceList<DistillationChain>, Resource<DistillationChain>> chains() {
        return client.resources(DistillationChain.class);
    }

    public DistillationChain chain() {
        return chains().inNamespace(namespace).withName(name).get();
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public FakeKubelet kubelet() {
        return kubelet;
    }

    /** All Pods of this chain, oldest first. */
    public List<Pod> pods() {
        return client.pods().inNamespace(namespace).withLabel(CHAIN_LABEL, name).list().getItems().stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
    }

    /** All Pods of one stage, oldest first. */
    public List<Pod> pods(String stage) {
        return pods().stream().filter(p -> stage.equals(p.getMetadata().getLabels().get(STAGE_LABEL))).toList();
    }

    public Optional<StageStatus> stage(String stage) {
        DistillationChain c = chain();
        if (c == null || c.getStatus() == null) {
            return Optional.empty();
        }
        return c.getStatus().getStages().stream().filter(s -> stage.equals(s.getName())).findFirst();
    }

    /** Waits until the stage has a Pod that kwok moved to Running, and returns it. */
    public Pod awaitRunning(String stage) {
        return awaitPod(stage, p -> "Running".equals(phase(p)), "Running");
    }

    /** Waits until the stage has a Pod in a phase that {@code condition} accepts. */
    public Pod awaitPod(String stage, Predicate<Pod> condition, String what) {
        return await("a " + what + " Pod of stage " + stage + " of " + name).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> pods(stage).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .filter(condition).reduce((a, b) -> b), Optional::isPresent).orElseThrow();
    }

    /** Waits for the stage's Running Pod, then ends it successfully with these metrics. */
    public Pod succeed(String stage, double testAccuracy) {
        Pod pod = awaitRunning(stage);
        kubelet.succeed(pod, metricsJson(testAccuracy));
        return pod;
    }

    /** Waits for the stage's Running Pod, then fails it as a trainer error would. */
    public Pod fail(String stage, String message) {
        Pod pod = awaitRunning(stage);
        kubelet.fail(pod, 1, message);
        return pod;
    }

    public void awaitStagePhase(String stage, String phase) {
        await("stage " + stage + " of " + name + " " + phase).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> stage(stage).map(s -> s.getPhase() != null && s.getPhase().name().equals(phase)).orElse(false));
    }

    public DistillationChain awaitChainPhase(String phase) {
        return await("chain " + name + " " + phase).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(this::chain, c -> c != null && c.getStatus() != null && c.getStatus().getPhase() != null
                        && c.getStatus().getPhase().name().equals(phase));
    }

    /** Waits until the chain is neither Pending nor Running any more (Succeeded, Failed, ...), and returns it. */
    public DistillationChain awaitFinished(Duration timeout) {
        return await("chain " + name + " finished").atMost(timeout).pollInterval(Duration.ofSeconds(2))
                .until(this::chain, c -> c != null && c.getStatus() != null && c.getStatus().getPhase() != null
                        && !c.getStatus().getPhase().name().matches("Pending|Running"));
    }

    /** The compact metrics JSON a trainer writes to its termination message. */
    public static String metricsJson(double testAccuracy) {
        return String.format(Locale.ROOT, "{\"testAccuracy\":%.4f,\"testLoss\":%.4f,\"bestTestAccuracy\":%.4f,\"epochs\":2,"
                + "\"trainSeconds\":12.5,\"samplesPerSecond\":2400.0,\"device\":\"gpu(0)\",\"teacherLogits\":\"cached\",\"export\":\"export\"}",
                testAccuracy, 1 - testAccuracy, testAccuracy);
    }

    public static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }
}
