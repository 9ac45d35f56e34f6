package dev.distillation.e2e.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged operator (operator/target/quarkus-app/quarkus-run.jar) running as its own process
 * against the test cluster, with its production settings (server-side apply on), watching one
 * namespace. Its log goes to target/e2e-logs.
 */
public final class OperatorProcess implements AutoCloseable {

    /** The JVM options the chart's Deployment gives the operator: its values.yaml {@code jvmOptions}. */
    static String chartJvmOptions() {
        Path values = TestCluster.locateRepoRoot().resolve("charts/distillation-operator/values.yaml");
        try {
            return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(values.toFile()).path("jvmOptions").asText();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + values, e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private OperatorProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the operator and waits until it reports ready.
     *
     * @param kubeconfig the identity it runs as (admin, or a ServiceAccount for RBAC tests)
     * @param namespace  the only namespace it watches
     * @param name       a name for its log file
     * @param extraEnv   more settings (env vars), e.g. DISTILLATION_TRAINER_IMAGE
     */
    public static OperatorProcess start(Path kubeconfig, String namespace, String name, Map<String, String> extraEnv) {
        Path jar = Path.of(System.getProperty("distill.operator.jar", "../operator/target/quarkus-app/quarkus-run.jar"));
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException("the packaged operator is missing: " + jar + " (build it: ./mvnw -pl operator -am package)");
        }
        int port = freePort();
        Path log = TestCluster.logsDir().resolve("operator-" + name + ".log");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_OPERATOR_SDK_CONTROLLERS_DISTILLATIONCHAIN_NAMESPACES", namespace);
        env.put("QUARKUS_KUBERNETES_CLIENT_TRUST_CERTS", "false");
        // Leader election is on (the prod profile): each test's operator holds its own Lease, in its namespace.
        env.put("DISTILLATION_LEADER_ELECTION_LEASE_NAMESPACE", namespace);
        env.putAll(extraEnv);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("distill.operator.jvmOpts", chartJvmOptions()).trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().putAll(env);
        try {
            OperatorProcess op = new OperatorProcess(pb.start(), port, log);
            op.awaitReady();
            return op;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the operator", e);
        }
    }

    public static OperatorProcess start(Path kubeconfig, String namespace, String name) {
        return start(kubeconfig, namespace, name, Map.of());
    }

    private void awaitReady() {
        await("operator ready (log: " + log + ")").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the operator exited with code " + process.exitValue() + "; see " + log);
                    }
                    return status("/q/health/ready") == 200;
                });
    }

    /** HTTP status of a GET on the operator's HTTP port, or -1 when it does not answer. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Body of a GET on the operator's HTTP port (e.g. /q/metrics). */
    public String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the process at once, as a node loss or OOM would: no graceful shutdown. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
