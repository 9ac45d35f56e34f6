package dev.distillation.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.FakeKubelet;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * The cost of live progress (not part of the test suite; run it with e2e/bench/run.sh): {@value #STAGES}
 * stages running at once, each with a trainer that answers the operator's {@code GET /progress}, and
 * the operator as a separate process in its production settings (a question every 15 s).
 *
 * <p>kwok's Pods have addresses nothing listens on, so the stages' Pods are kept off every node (a
 * node selector no node matches) and marked Running by the benchmark, each with its own loopback
 * address (127.0.1.x); one stand-in trainer listens on the progress port of all of them and answers
 * with documents shaped like the trainer's. Three windows are measured: progress that changes at
 * every question (an epoch shorter than the poll interval: the most status writes the operator can
 * make), progress that does not change (a long epoch), and the cluster with the operator stopped
 * (what the control plane, kwok and the benchmark's own reads cost without it). For each: API
 * requests per second counted by the API server ({@code apiserver_request_total}), by resource and
 * verb, the operator's CPU, and the progress questions the trainers answered.
 */
@ClusterTest
class ProgressLoadBenchmark {

    private static final int STAGES = Integer.getInteger("bench.progressStages", 200);
    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("bench.progressWindowSeconds", 90));
    private static final int PROGRESS_PORT = 8090;
    private static final Pattern REQUEST_COUNTER = Pattern.compile("^apiserver_request_total\\{(.*)} (\\S+)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final TestCluster cluster;
    private final TestNamespace ns;
    private final KubernetesClient client;

    ProgressLoadBenchmark(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
        this.client = cluster.admin();
    }

    @Test
    void progressLoad() throws Exception {
        StringBuilder table = new StringBuilder();
        ObjectNode json = JSON.createObjectNode().put("stages", STAGES).put("windowSeconds", WINDOW.toSeconds());
        try (StandInTrainers trainers = new StandInTrainers()) {
            try (OperatorProcess operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "bench-progress")) {
                for (int i = 0; i < STAGES; i++) {
                    Chains.api(client).inNamespace(ns.name()).resource(Chains.toResource(chain("p" + i), ns.name())).create();
                }
                FakeKubelet kubelet = new FakeKubelet(client);
                for (int i = 0; i < STAGES; i++) {
                    String pod = "p" + i + "-teacher-a1";
                    Pod created = await("Pod " + pod).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                            .until(() -> client.pods().inNamespace(ns.name()).withName(pod).get(), p -> p != null);
                    kubelet.run(created, StandInTrainers.address(i));
                }
                await("progress on the status of all " + STAGES + " chains").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> chainsWithProgress() == STAGES);

                trainers.changing(true);
                Window changing = Window.measure(cluster, operator.pid(), trainers);
                trainers.changing(false);
                // let the last changed documents be read and written before the steady window starts
                await("the operator to read the frozen documents").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> trainers.answeredSinceFrozen() >= 2L * STAGES);
                Window steady = Window.measure(cluster, operator.pid(), trainers);
                report(table, json, "changing", "progress changes at every question (the most writes)", changing);
                report(table, json, "steady", "progress unchanged (an epoch longer than the window)", steady);
            }
            Window without = Window.measure(cluster, -1, trainers);
            report(table, json, "noOperator", "operator stopped (the cluster's own requests)", without);
        }
        Path out = Path.of("target/bench");
        Files.createDirectories(out);
        JSON.writeValue(out.resolve("progress-load.json").toFile(), json);
        Files.writeString(out.resolve("progress-load.txt"), table);
        System.out.println("\n=== progress load, " + STAGES + " stages running ===\n" + table);
    }

    private long chainsWithProgress() {
        return Chains.api(client).inNamespace(ns.name()).list().getItems().stream()
                .filter(ProgressLoadBenchmark::hasProgress).count();
    }

    @SuppressWarnings("unchecked")
    private static boolean hasProgress(GenericKubernetesResource chain) {
        Object status = chain.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("stages") instanceof List<?> stages)) {
            return false;
        }
        return stages.stream().anyMatch(st -> st instanceof Map<?, ?> m && m.get("progress") instanceof Map<?, ?> p && p.get("epoch") != null);
    }

    private ObjectNode chain(String name) {
        ObjectNode doc = Chains.withName(Chains.resource("bench.yaml"), name);
        // no node runs these Pods: the benchmark marks them Running at addresses its stand-in trainer serves
        ((ObjectNode) doc.path("spec").path("trainer")).putObject("nodeSelector").put("distill-bench/no-node", "true");
        return doc;
    }

    private static void report(StringBuilder table, ObjectNode json, String key, String title, Window w) {
        table.append(String.format(Locale.ROOT, "%s: %.2f API requests/s in all, operator CPU %.1f%% of a core, %.1f progress answers/s%n",
                title, w.requestsPerSecond(), w.operatorCpuPercent(), w.answersPerSecond()));
        w.byResource().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                .forEach(e -> table.append(String.format(Locale.ROOT, "    %-48s %.2f/s%n", e.getKey(), e.getValue())));
        ObjectNode window = json.putObject(key).put("apiRequestsPerSecond", w.requestsPerSecond())
                .put("operatorCpuPercent", w.operatorCpuPercent()).put("progressAnswersPerSecond", w.answersPerSecond());
        w.byResource().forEach(window.putObject("byResource")::put);
    }

    /** apiserver_request_total, summed per "VERB resource[/subresource]" (non-resource URLs left out). */
    static Map<String, Double> requestCounts(String metrics) {
        Map<String, Double> counts = new TreeMap<>();
        for (String line : metrics.split("\n")) {
            Matcher m = REQUEST_COUNTER.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            if (resource.isEmpty()) {
                continue;
            }
            String sub = labels.getOrDefault("subresource", "");
            String key = labels.get("verb") + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
            counts.merge(key, Double.parseDouble(m.group(2)), Double::sum);
        }
        return counts;
    }

    /** One measured window: API requests per second by kind, the operator's CPU, the trainers' answers. */
    record Window(double seconds, Map<String, Double> byResource, double operatorCpuPercent, double answersPerSecond) {

        static Window measure(TestCluster cluster, long operatorPid, StandInTrainers trainers) throws Exception {
            Map<String, Double> before = requestCounts(cluster.kubectl("get", "--raw", "/metrics"));
            long cpuBefore = operatorPid > 0 ? OperatorBenchmark.cpuTicks(operatorPid) : 0;
            long answersBefore = trainers.answered();
            long start = System.nanoTime();
            // a measurement window: the time over which the counters are compared, not a wait for a condition
            Thread.sleep(WINDOW.toMillis());
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = operatorPid > 0 ? OperatorBenchmark.cpuTicks(operatorPid) - cpuBefore : 0;
            long answers = trainers.answered() - answersBefore;
            Map<String, Double> after = requestCounts(cluster.kubectl("get", "--raw", "/metrics"));
            Map<String, Double> rates = new TreeMap<>();
            after.forEach((k, v) -> {
                double d = v - before.getOrDefault(k, 0.0);
                if (d > 0) {
                    rates.put(k, d / seconds);
                }
            });
            return new Window(seconds, rates, cpu / 100.0 / seconds * 100, answers / seconds);
        }

        double requestsPerSecond() {
            return byResource.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * One HTTP server on the progress port of every loopback address: the trainer of the stage whose
     * Pod was given 127.0.1.(i+1) answers for stage i. While changing, each answer is a new epoch.
     */
    static final class StandInTrainers implements AutoCloseable {
        private final HttpServer server;
        private final AtomicLong answered = new AtomicLong();
        private final AtomicLong epochCounter = new AtomicLong();
        private volatile boolean changing;
        private volatile long answeredAtFreeze;

        StandInTrainers() throws IOException {
            server = HttpServer.create(new InetSocketAddress(PROGRESS_PORT), 512);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/progress", this::answer);
            server.start();
        }

        static String address(int stage) {
            return "127.0." + (1 + stage / 250) + "." + (1 + stage % 250);
        }

        void changing(boolean on) {
            if (!on) {
                answeredAtFreeze = answered.get();
            }
            changing = on;
        }

        long answered() {
            return answered.get();
        }

        long answeredSinceFrozen() {
            return answered.get() - answeredAtFreeze;
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                boolean moving = changing;
                long epoch = moving ? 1 + epochCounter.incrementAndGet() % 199 : 1;
                String now = moving ? Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z") : "2026-01-01T00:00:00Z";
                String body = String.format(Locale.ROOT, "{\"epoch\":%d,\"epochs\":200,\"testAccuracy\":%.4f,\"testLoss\":%.4f,"
                                + "\"samplesPerSecond\":2400.0,\"estimatedCompletionTime\":\"2026-01-01T03:00:00Z\",\"updateTime\":\"%s\"}",
                        epoch, 0.5 + epoch / 500.0, 1.0 / epoch, now);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                answered.incrementAndGet();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
