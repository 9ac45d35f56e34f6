package dev.distillation.e2e.support;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * The operator as a user installs it: {@code helm install} of charts/distillation-operator with the
 * chart's default images — the operator and trainer images built from their Dockerfiles and
 * tagged with the project's version, which is the chart's appVersion — running in a Pod on the
 * real node under the chart's ServiceAccount, watching one namespace of chains. Both namespaces enforce the Pod Security
 * Standard {@code restricted}. Installed once per test JVM, by the first {@link RealNodeTest}
 * class, and uninstalled when JUnit closes its root store.
 *
 * <p>The cluster has no kube-proxy, so the {@code kubernetes} Service's address leads nowhere; the
 * operator is told where the API server is with the chart's {@code extraEnv}
 * (KUBERNETES_SERVICE_HOST/PORT), as on any cluster whose Services do not reach the API server.
 */
public final class InstalledOperator implements ExtensionContext.Store.CloseableResource {

    /** The release name of the README's {@code helm install}: objects are called just that. */
    public static final String RELEASE = "distillation-operator";
    public static final String PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
    public static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private final TestCluster cluster;
    private final String namespace;
    private final String chainNamespace;

    private InstalledOperator(TestCluster cluster, String namespace, String chainNamespace) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.chainNamespace = chainNamespace;
    }

    public static synchronized InstalledOperator get(ExtensionContext context) {
        TestCluster cluster = TestCluster.get(context);
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(InstalledOperator.class, k -> install(cluster), InstalledOperator.class);
    }

    private static InstalledOperator install(TestCluster cluster) {
        String suffix = UUID.randomUUID().toString().substring(0, 5);
        InstalledOperator op = new InstalledOperator(cluster, "e2e-real-system-" + suffix, "e2e-real-" + suffix);
        KubernetesClient admin = cluster.admin();
        for (String ns : List.of(op.namespace, op.chainNamespace)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels(PSA_ENFORCE, "restricted").addToLabels(PSA_ENFORCE + "-version", "latest")
                    .endMetadata().build()).create();
        }
        RealNode node = cluster.realNode();
        String helm = cluster.tool("charts/tools/helm.sh");
        cluster.run(helm, "install", RELEASE, "charts/distillation-operator", "-n", op.namespace,
                "--set", "watchNamespaces={" + op.chainNamespace + "}",
                "--set", "logLevel=DEBUG",
                "--set-json", "nodeSelector={\"" + node.label() + "\":\"true\"}",
                "--set-json", "tolerations=[{\"key\":\"" + node.label() + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
                "--set-json", "extraEnv=[{\"name\":\"KUBERNETES_SERVICE_HOST\",\"value\":\"" + node.apiHost() + "\"},"
                        + "{\"name\":\"KUBERNETES_SERVICE_PORT\",\"value\":\"" + node.apiPort() + "\"}]");
        op.awaitReady();
        return op;
    }

    private void awaitReady() {
        await("every operator Pod of the chart is Ready (log: " + TestCluster.logsDir().resolve("operator-in-cluster.log") + ")")
                .atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .failFast("an operator container restarted", () -> pods().stream().anyMatch(p -> restarts(p) > 0))
                .until(() -> pods().size() == replicas() && pods().stream().allMatch(InstalledOperator::ready));
    }

    /** The replicas the chart's Deployment asks for (the chart's default). */
    public int replicas() {
        return cluster.admin().apps().deployments().inNamespace(namespace).withName(RELEASE).get().getSpec().getReplicas();
    }

    /** The operator's Pods (leader and standbys). */
    public List<Pod> pods() {
        return cluster.admin().pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", RELEASE).list().getItems()
                .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** The operator's namespace (the release's). */
    public String namespace() {
        return namespace;
    }

    /** The namespace whose chains the operator watches. */
    public String chainNamespace() {
        return chainNamespace;
    }

    public String serviceAccount() {
        return RELEASE;
    }

    public String metricsService() {
        return RELEASE + "-metrics";
    }

    /** One of the operator's Pods, if one exists. */
    public Optional<Pod> pod() {
        return pods().stream().findFirst();
    }

    public static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public static int restarts(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? 0
                : p.getStatus().getContainerStatuses().stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }

    /** The operator container's log, read through the API server and the kubelet. */
    public String log() {
        return pod().map(p -> cluster.admin().pods().inNamespace(namespace).withName(p.getMetadata().getName()).getLog()).orElse("");
    }

    @Override
    public void close() {
        try {
            Files.writeString(TestCluster.logsDir().resolve("operator-in-cluster.log"), log());
        } catch (IOException | RuntimeException e) {
            // the log is a courtesy for reading a failure; uninstalling is what matters
        }
        cluster.run(cluster.tool("charts/tools/helm.sh"), "uninstall", RELEASE, "-n", namespace, "--wait", "--timeout", "2m");
        cluster.admin().namespaces().withName(chainNamespace).delete();
        cluster.admin().namespaces().withName(namespace).delete();
    }
}
