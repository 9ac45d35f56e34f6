package dev.distillation.e2e.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * The cluster of e2e/cluster/cluster.sh — control plane, kwok nodes and one real node — started
 * once per test JVM (the first test class that asks for it) and stopped when JUnit closes its
 * root store, also when tests fail. Before it starts, e2e/cluster/images.sh builds the trainer
 * and operator images from their Dockerfiles and the Maven build's output; the real node gets
 * them. The repository's generated CRD is installed into the cluster.
 */
public final class TestCluster implements ExtensionContext.Store.CloseableResource {

    public static final String CRD_FILE = "crds/distillationchains.distillation.dev-v1.yml";

    private final Path repoRoot;
    private final Path clusterDir;
    private final Map<String, String> env;
    private final KubernetesClient admin;

    private TestCluster(Path repoRoot, Path clusterDir, Map<String, String> env) {
        this.repoRoot = repoRoot;
        this.clusterDir = clusterDir;
        this.env = env;
        this.admin = client(kubeconfig());
    }

    /** The one cluster of this JVM, started on first use. */
    public static synchronized TestCluster get(ExtensionContext context) {
        if (startFailure != null) {
            throw new IllegalStateException("the e2e cluster failed to start earlier in this run", startFailure);
        }
        try {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(TestCluster.class, k -> start(), TestCluster.class);
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
    }

    /** Set when starting failed, so that later test classes fail at once instead of trying again. */
    private static RuntimeException startFailure;

    static TestCluster start() {
        Path root = locateRepoRoot();
        String tag = imageTag();
        Path imagesLog = logsDir().resolve("images.log");
        int built = Scripts.run(root, imagesLog, Duration.ofMinutes(45), Map.of(),
                "bash", root.resolve("e2e/cluster/images.sh").toString(), "build", tag);
        if (built != 0) {
            throw new IllegalStateException("e2e/cluster/images.sh build failed with exit code " + built + "; see " + imagesLog);
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "distill-e2e-" + UUID.randomUUID().toString().substring(0, 8));
        Path log = logsDir().resolve("cluster-start.log");
        Map<String, String> processEnv = Map.of("CLUSTER_DIR", dir.toString(), "CLUSTER_IMAGE_TAG", tag);
        int rc = Scripts.run(root, log, Duration.ofMinutes(60), processEnv,
                "bash", root.resolve("e2e/cluster/cluster.sh").toString(), "start", "--real-node");
        if (rc != 0) {
            throw new IllegalStateException("e2e/cluster/cluster.sh start --real-node failed with exit code " + rc + "; see " + log);
        }
        TestCluster cluster = new TestCluster(root, dir, readEnv(dir.resolve("env")));
        try {
            cluster.installCrd();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void installCrd() {
        try (InputStream in = Files.newInputStream(repoRoot.resolve(CRD_FILE))) {
            CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
            admin.resource(crd).forceConflicts().serverSideApply();
            await("CRD " + crd.getMetadata().getName() + " established").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get()
                            .getStatus().getConditions().stream()
                            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
            await("API discovery lists distillationchains").atMost(Duration.ofSeconds(60))
                    .until(() -> kubectlSucceeds("get", "dchain", "-A"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CRD_FILE, e);
        }
    }

    /** The tag of the images built for the real node: the project's version, which the chart and the operator default to. */
    static String imageTag() {
        String version = System.getProperty("distill.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("system property distill.version is not set (the e2e POM passes the project version)");
        }
        return version;
    }

    @Override
    public void close() {
        admin.close();
        int rc = Scripts.run(repoRoot, logsDir().resolve("cluster-stop.log"), Duration.ofMinutes(3),
                Map.of("CLUSTER_DIR", clusterDir.toString()),
                "bash", repoRoot.resolve("e2e/cluster/cluster.sh").toString(), "stop");
        if (rc != 0) {
            throw new IllegalStateException("e2e/cluster/cluster.sh stop failed with exit code " + rc
                    + ": the machine may not be as it was; see " + logsDir().resolve("cluster-stop.log"));
        }
    }

    /** The real node (containerd + kubelet) beside the kwok nodes. */
    public RealNode realNode() {
        return RealNode.from(env);
    }

    /** A client authenticated as cluster admin (system:masters). Shared: do not close it. */
    public KubernetesClient admin() {
        return admin;
    }

    public Path kubeconfig() {
        return Path.of(env.get("KUBECONFIG"));
    }

    public Path clusterDir() {
        return clusterDir;
    }

    public Path repoRoot() {
        return repoRoot;
    }

    public Path binDir() {
        return Path.of(env.get("DISTILL_E2E_BIN_DIR"));
    }

    public String env(String key) {
        return env.get(key);
    }

    /**
     * A kubeconfig authenticated as a ServiceAccount (cluster.sh sa-kubeconfig), for
     * least-privilege runs.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount) {
        Path out = clusterDir.resolve("sa-" + namespace + "-" + serviceAccount + ".kubeconfig");
        int rc = Scripts.run(repoRoot, logsDir().resolve("sa-kubeconfig.log"), Duration.ofMinutes(1),
                Map.of("CLUSTER_DIR", clusterDir.toString()),
                "bash", repoRoot.resolve("e2e/cluster/cluster.sh").toString(), "sa-kubeconfig", namespace, serviceAccount, out.toString());
        if (rc != 0) {
            throw new IllegalStateException("cluster.sh sa-kubeconfig failed with exit code " + rc);
        }
        return out;
    }

    /** Runs kubectl against this cluster as admin; returns its stdout. */
    public String kubectl(String... args) {
        return Scripts.capture(repoRoot, Duration.ofMinutes(1), Map.of("KUBECONFIG", kubeconfig().toString()),
                prepend(binDir().resolve("kubectl").toString(), args));
    }

    private boolean kubectlSucceeds(String... args) {
        try {
            kubectl(args);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Runs a repository script that prints a tool's path last (e.g. charts/tools/helm.sh) and returns the path. */
    public String tool(String script) {
        String out = Scripts.capture(repoRoot, Duration.ofMinutes(30), Map.of(), "bash", repoRoot.resolve(script).toString()).strip();
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    /** Runs a command in the repository root and returns its stdout. */
    public String run(String... command) {
        return Scripts.capture(repoRoot, Duration.ofMinutes(2), Map.of("KUBECONFIG", kubeconfig().toString()), command);
    }

    /** Runs a long command in the repository root with its output in {@code log}; fails when it exits non-zero. */
    public void runLong(Duration timeout, Map<String, String> env, Path log, String... command) {
        int rc = Scripts.run(repoRoot, log, timeout, env, command);
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + rc + "; see " + log);
        }
    }

    public static KubernetesClient client(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            config.setRequestTimeout(30_000);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kubeconfig " + kubeconfig, e);
        }
    }

    static Path locateRepoRoot() {
        return Path.of(System.getProperty("distill.repo.root", "..")).toAbsolutePath().normalize();
    }

    public static Path logsDir() {
        Path dir = Path.of(System.getProperty("distill.e2e.logs", "target/e2e-logs")).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    private static Map<String, String> readEnv(Path file) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return env;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster's env file " + file, e);
        }
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

}
