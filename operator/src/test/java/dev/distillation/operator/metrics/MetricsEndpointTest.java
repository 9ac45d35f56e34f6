package dev.distillation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Scrapes the Prometheus endpoint and the health endpoints the Helm chart's probes use. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricsEndpointTest {

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

    @Test
    void operatorMetricsAreScraped() {
        DistillationChain chain = TestChains.example("quickstart");
        chain.getMetadata().setName("metrics");
        chain.getMetadata().setNamespace("ml");
        chain.getMetadata().setUid(null);
        chain.getMetadata().setGeneration(null);
        client.resource(chain).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> r = get(metrics);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .containsPattern("(?m)^distillation_chains\\{phase=\"Pending\"} [1-9]")
                    .contains("distillation_chains{phase=\"Succeeded\"}")
                    .containsPattern("(?m)^distillation_stages_started_total [1-9]")
                    .contains("distillation_stages_succeeded_total")
                    .contains("distillation_stages_failed_total")
                    .contains("distillation_stage_retries_total{reason=\"TrainerFailure\"}")
                    .contains("distillation_stage_retries_total{reason=\"Disruption\"}")
                    .contains("distillation_stage_duration_seconds_bucket")
                    .containsPattern("(?m)^distillation_reconcile_duration_seconds_count [1-9]")
                    .contains("distillation_reconcile_errors_total");
        });
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        assertThat(get(live).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(ready).statusCode()).isEqualTo(200));
    }
}
