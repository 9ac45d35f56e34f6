package dev.distillation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.Kubelet;
import dev.distillation.operator.TestChains;
import com.sun.net.httpserver.HttpServer;
import dev.distillation.api.job.StageJob;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scrapes the Prometheus endpoint while the operator runs two chains through a retry, an eviction,
 * a success and a failure, and checks that each metric moved by what happened. The operator is
 * shared with the other tests of the module, so values are compared with a scrape taken first.
 * Also the health endpoints the Helm chart's probes use.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricsEndpointTest {

    static final String NS = "ml";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Pattern SAMPLE = Pattern.compile("^(\\S+?(?:\\{[^}]*})?) (\\S+)$");
    static final Pattern BUCKET = Pattern.compile("^distillation_stage_duration_seconds_bucket\\{le=\"([^\"]+)\"}$");

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/q/health/live")
    URI live;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample of the scrape, keyed by name and labels as Prometheus writes them. */
    Map<String, Double> scrape() throws Exception {
        HttpResponse<String> r = get(metrics);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1), number(m.group(2)));
            }
        }
        return samples;
    }

    /** A sample value or bucket bound as Prometheus writes it. */
    static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** A chain of one stage, {@code <name>-teacher}, trained from labels alone on the CPU. */
    DistillationChain create(String name, int backoffLimit) {
        DistillationChain chain = TestChains.example("quickstart");
        chain.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        chain.getSpec().setStages(new java.util.ArrayList<>(List.of(chain.getSpec().getStages().get(0))));
        chain.getSpec().setBackoffLimit(backoffLimit);
        return client.resource(chain).create();
    }

    ChainPhase phase(String name) {
        DistillationChain c = client.resources(DistillationChain.class).inNamespace(NS).withName(name).get();
        return c.getStatus() == null ? null : c.getStatus().getPhase();
    }

    @Test
    void metricsCountWhatTheOperatorDid() throws Exception {
        Kubelet kubelet = new Kubelet(client, NS);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(scrape()).containsKey("distillation_reconcile_errors_total"));
        Map<String, Double> before = scrape();
        String ok = "metrics-ok";
        String failing = "metrics-failing";
        create(ok, 1);
        create(failing, 0);

        // metrics-ok: the trainer fails (retried), the next Pod is evicted (replaced), the third succeeds 90 s after the first started.
        await().atMost(TIMEOUT).until(() -> kubelet.pod(ok + "-teacher-a1").isPresent());
        kubelet.fail(ok + "-teacher-a1", "boom");
        await().atMost(TIMEOUT).until(() -> kubelet.pod(ok + "-teacher-a2").isPresent());
        kubelet.run(ok + "-teacher-a2");
        kubelet.status(ok + "-teacher-a2", TestChains.evicted());
        await().atMost(TIMEOUT).until(() -> kubelet.pod(ok + "-teacher-a3").isPresent());
        Instant started = Instant.parse(kubelet.pod(ok + "-teacher-a1").orElseThrow().getMetadata().getCreationTimestamp());
        kubelet.run(ok + "-teacher-a3");
        kubelet.status(ok + "-teacher-a3", TestChains.succeeded(TestChains.metricsJson(0.9), started.plusSeconds(90).toString()));
        // metrics-failing: the trainer fails and backoffLimit 0 allows no retry.
        await().atMost(TIMEOUT).until(() -> kubelet.pod(failing + "-teacher-a1").isPresent());
        kubelet.fail(failing + "-teacher-a1", "boom");

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(phase(ok)).isEqualTo(ChainPhase.Succeeded);
            assertThat(phase(failing)).isEqualTo(ChainPhase.Failed);
            Map<String, Double> after = scrape();
            Delta d = new Delta(before, after);
            assertThat(d.of("distillation_stages_started_total")).as("started").isEqualTo(4.0);
            assertThat(d.of("distillation_stage_retries_total{reason=\"TrainerFailure\"}")).as("retried").isEqualTo(1.0);
            assertThat(d.of("distillation_stage_retries_total{reason=\"Disruption\"}")).as("replaced").isEqualTo(1.0);
            assertThat(d.of("distillation_stages_succeeded_total")).as("succeeded").isEqualTo(1.0);
            assertThat(d.of("distillation_stages_failed_total")).as("failed").isEqualTo(1.0);
            assertThat(d.of("distillation_stage_duration_seconds_count")).as("durations").isEqualTo(1.0);
            assertThat(d.of("distillation_stage_duration_seconds_sum")).as("seconds").isEqualTo(90.0);
            after.keySet().stream().map(BUCKET::matcher).filter(Matcher::matches).forEach(m -> assertThat(d.of(m.group()))
                    .as("bucket le=%s", m.group(1)).isEqualTo(number(m.group(1)) >= 90 ? 1.0 : 0.0));
            assertThat(d.of("distillation_chains{phase=\"Succeeded\"}")).as("succeeded chains").isEqualTo(1.0);
            assertThat(d.of("distillation_chains{phase=\"Failed\"}")).as("failed chains").isEqualTo(1.0);
            for (ChainPhase phase : List.of(ChainPhase.Pending, ChainPhase.Running, ChainPhase.Suspended, ChainPhase.Invalid)) {
                assertThat(after).containsKey("distillation_chains{phase=\"" + phase + "\"}");
                assertThat(d.of("distillation_chains{phase=\"" + phase + "\"}")).as("%s chains", phase).isZero();
            }
            assertThat(d.of("distillation_reconcile_duration_seconds_count")).as("reconciles").isGreaterThanOrEqualTo(6.0);
            assertThat(after).containsKey("distillation_reconcile_errors_total");
            assertThat(d.of("distillation_reconcile_errors_total")).as("errors").isZero();
        });
    }

    @Test
    void perStageSeriesShowProgressThenAccuracyAndGoWithTheChain() throws Exception {
        Kubelet kubelet = new Kubelet(client, NS);
        String name = "metrics-stages";
        DistillationChain chain = TestChains.example("quickstart");
        chain.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        chain.getSpec().setStages(new java.util.ArrayList<>(chain.getSpec().getStages().subList(0, 2))); // teacher, assistant
        client.resource(chain).create();
        String teacher = name + "-teacher-a1";
        String series = "{chain=\"" + name + "\",namespace=\"" + NS + "\",stage=\"teacher\"}";
        await().atMost(TIMEOUT).until(() -> kubelet.pod(teacher).isPresent());
        HttpServer trainer = trainerServing("{\"epoch\":57,\"epochs\":200,\"testAccuracy\":0.7,\"samplesPerSecond\":2210.0}");
        try {
            // The mock API server runs nothing: the Pod "runs" at 127.0.0.1, its trainer being the server above.
            client.pods().inNamespace(NS).withName(teacher).edit(p -> new PodBuilder(p).editSpec().editFirstContainer().editFirstPort()
                    .withContainerPort(trainer.getAddress().getPort()).endPort().endContainer().endSpec().build());
            kubelet.status(teacher, new PodStatusBuilder(TestChains.running()).withPodIP("127.0.0.1").build());
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(scrape())
                    .containsEntry("distillation_stage_epoch_fraction" + series, 57 / 200.0)
                    .containsEntry("distillation_stage_samples_per_second" + series, 2210.0)
                    .doesNotContainKey("distillation_stage_accuracy" + series));
        } finally {
            trainer.stop(0);
        }

        // The teacher finished 30 s ago (whole seconds, as Kubernetes records it); the assistant's Pod follows.
        Map<String, Double> before = scrape();
        Instant finished = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        kubelet.status(teacher, TestChains.succeeded(TestChains.metricsJson(0.9), finished.toString()));
        await().atMost(TIMEOUT).until(() -> kubelet.pod(name + "-assistant-a1").isPresent());
        double bound = Duration.between(finished, Instant.now()).toMillis() / 1000.0;
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, Double> after = scrape();
            assertThat(after).containsEntry("distillation_stage_accuracy" + series, 0.9)
                    .doesNotContainKey("distillation_stage_epoch_fraction" + series)
                    .doesNotContainKey("distillation_stage_samples_per_second" + series);
            Delta d = new Delta(before, after);
            assertThat(d.of("distillation_handoff_latency_seconds_count")).as("hand-offs").isEqualTo(1.0);
            assertThat(d.of("distillation_handoff_latency_seconds_sum")).as("hand-off seconds").isBetween(30.0, bound);
        });

        client.resources(DistillationChain.class).inNamespace(NS).withName(name).delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(scrape().keySet())
                .noneMatch(k -> k.contains("chain=\"" + name + "\"")));
    }

    @Test
    void theOperatorSdksOwnMetricsCountReconciles() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(sum(scrape(), "reconciliations_started_total")).isPositive());
        Map<String, Double> before = scrape();
        create("metrics-sdk", 0);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, Double> after = scrape();
            assertThat(sum(after, "reconciliations_started_total") - sum(before, "reconciliations_started_total")).isPositive();
            assertThat(sum(after, "reconciliations_success_total") - sum(before, "reconciliations_success_total")).isPositive();
            assertThat(sum(after, "reconciliations_execution_duration_seconds_count")).isPositive();
        });
    }

    /** The sum of a metric's samples of the chain controller, whatever their other labels. */
    static double sum(Map<String, Double> samples, String metric) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "{")
                && e.getKey().contains("controller_name=\"distillationchain\"")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** A stand-in trainer answering {@code document} at the progress path. */
    static HttpServer trainerServing(String document) throws java.io.IOException {
        HttpServer trainer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        trainer.createContext(StageJob.PROGRESS_PATH, exchange -> {
            byte[] body = document.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        trainer.start();
        return trainer;
    }

    /** How much each sample grew between two scrapes (a sample missing before counts from 0). */
    record Delta(Map<String, Double> before, Map<String, Double> after) {
        double of(String sample) {
            assertThat(after).containsKey(sample);
            return after.get(sample) - before.getOrDefault(sample, 0.0);
        }
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        assertThat(get(live).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(ready).statusCode()).isEqualTo(200));
    }
}
