package dev.distillation.e2e.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Operator benchmark on the e2e control plane (not part of the test suite; run it with
 * e2e/bench/run.sh). Measures, with the operator as a separate process in production settings:
 * time from apply to the first Pod; stage hand-off latency (teacher Pod marked Succeeded → student
 * Pod created, seen through a watch) p50/p99; 200 and 1000 chains applied at once: time until every
 * first-stage Pod exists, the operator's peak RSS and CPU seconds. Prints a table and writes
 * target/bench/operator-benchmark.json.
 */
@ClusterTest
class OperatorBenchmark {

    private static final int HANDOFF_CHAINS = Integer.getInteger("bench.handoffChains", 100);
    private static final List<Integer> BULK = List.of(Integer.getInteger("bench.bulkSmall", 200), Integer.getInteger("bench.bulkLarge", 1000));

    private final TestCluster cluster;
    private final TestNamespace ns;
    private final KubernetesClient client;

    OperatorBenchmark(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
        this.client = cluster.admin();
    }

    @Test
    void benchmark() throws Exception {
        StringBuilder json = new StringBuilder("{");
        List<Double> firstPod = new ArrayList<>();
        List<Double> handoff = new ArrayList<>();
        try (OperatorProcess operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "bench-handoff");
             PodCreations creations = new PodCreations(client, ns.name())) {
            for (int i = 0; i < HANDOFF_CHAINS; i++) {
                String name = "h" + i;
                long applied = System.nanoTime();
                ChainDriver driver = ChainDriver.apply(client, ns, chain(name));
                long teacherCreated = creations.await(name + "-teacher-a1");
                firstPod.add((teacherCreated - applied) / 1e6);
                // the Pod need not be scheduled (the cluster has 40 volumes, the benchmark makes
                // two per chain): the kubelet's verdict is all the operator reacts to
                Pod teacher = client.pods().inNamespace(ns.name()).withName(name + "-teacher-a1").get();
                long succeeded = System.nanoTime();
                driver.kubelet().succeed(teacher, ChainDriver.metricsJson(0.9));
                long studentCreated = creations.await(name + "-student-a1");
                handoff.add((studentCreated - succeeded) / 1e6);
            }
        }
        json.append(String.format(Locale.ROOT, "\"chains\":%d,\"applyToFirstPodMs\":{\"p50\":%.1f,\"p99\":%.1f},"
                        + "\"handoffMs\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f}",
                HANDOFF_CHAINS, pct(firstPod, 50), pct(firstPod, 99), pct(handoff, 50), pct(handoff, 99), pct(handoff, 100)));
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "apply → first Pod (n=%d): p50 %.0f ms, p99 %.0f ms%n", firstPod.size(), pct(firstPod, 50), pct(firstPod, 99)));
        table.append(String.format(Locale.ROOT, "hand-off Succeeded → next Pod (n=%d): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                handoff.size(), pct(handoff, 50), pct(handoff, 99), pct(handoff, 100)));

        for (int n : BULK) {
            String namespace = ns.name() + "-" + n;
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName(namespace).endMetadata().build()).create();
            try (OperatorProcess operator = OperatorProcess.start(cluster.kubeconfig(), namespace, "bench-" + n);
                 PodCreations creations = new PodCreations(client, namespace);
                 RssSampler rss = new RssSampler(operator.pid())) {
                long cpuBefore = cpuTicks(operator.pid());
                long start = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                for (int i = 0; i < n; i++) {
                    String name = "b" + i;
                    pool.submit(() -> Chains.api(client).inNamespace(namespace).resource(Chains.toResource(chain(name), namespace)).create());
                }
                pool.shutdown();
                pool.awaitTermination(10, TimeUnit.MINUTES);
                long applied = System.nanoTime();
                await("all " + n + " first-stage Pods").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(200))
                        .until(() -> creations.count() >= n);
                long done = System.nanoTime();
                double cpuSeconds = (cpuTicks(operator.pid()) - cpuBefore) / 100.0;
                table.append(String.format(Locale.ROOT, "%d chains: applied in %.1f s, every first Pod after %.1f s; operator peak RSS %d MiB, CPU %.1f s%n",
                        n, (applied - start) / 1e9, (done - start) / 1e9, rss.peakKiB() / 1024, cpuSeconds));
                json.append(String.format(Locale.ROOT, ",\"bulk%d\":{\"applySeconds\":%.2f,\"allFirstPodsSeconds\":%.2f,\"peakRssMiB\":%d,\"cpuSeconds\":%.1f}",
                        n, (applied - start) / 1e9, (done - start) / 1e9, rss.peakKiB() / 1024, cpuSeconds));
            } finally {
                client.namespaces().withName(namespace).delete();
            }
        }
        json.append("}");
        Path out = Path.of("target/bench");
        Files.createDirectories(out);
        Files.writeString(out.resolve("operator-benchmark.json"), json + "\n");
        Files.writeString(out.resolve("operator-benchmark.txt"), table);
        System.out.println("\n=== operator benchmark ===\n" + table);
    }

    private static ObjectNode chain(String name) {
        ObjectNode doc = Chains.withName(Chains.resource("bench.yaml"), name);
        return doc;
    }

    static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    static long cpuTicks(long pid) throws IOException {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100/s)
    }

    /** Records, through a watch, the local time each Pod of a namespace was first seen. */
    static final class PodCreations implements AutoCloseable {
        private final Map<String, Long> seen = new ConcurrentHashMap<>();
        private final Watch watch;

        PodCreations(KubernetesClient client, String namespace) {
            watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED) {
                        seen.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            });
        }

        long await(String pod) {
            return org.awaitility.Awaitility.await("Pod " + pod).atMost(ChainDriver.TIMEOUT).pollInterval(Duration.ofMillis(5))
                    .until(() -> seen.get(pod), t -> t != null);
        }

        int count() {
            return seen.size();
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    /** Samples a process's resident set size every 100 ms and keeps the peak. */
    static final class RssSampler implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private volatile long peakKiB;

        RssSampler(long pid) {
            timer.scheduleAtFixedRate(() -> {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            peakKiB = Math.max(peakKiB, Long.parseLong(line.replaceAll("\\D", "")));
                        }
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process may be gone at the very end
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        long peakKiB() {
            return peakKiB;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
