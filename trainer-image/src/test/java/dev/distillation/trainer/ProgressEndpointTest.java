package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What a trainer Pod answers the operator at GET /progress, over a real HTTP connection. */
class ProgressEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void reportsEpochsAccuracyThroughputAndTheTimeLeftAfterEachEpoch() throws Exception {
        TestClock clock = new TestClock();
        try (ProgressEndpoint endpoint = ProgressEndpoint.start(0, clock)) {
            assertThat(get(endpoint, "/progress").body()).isEqualTo("{}");

            endpoint.onStart(null, 1, 10, 469);
            JsonNode started = json(get(endpoint, "/progress"));
            assertThat(started.path("epoch").asInt()).isZero();
            assertThat(started.path("epochs").asInt()).isEqualTo(10);
            assertThat(started.path("updateTime").asText()).isEqualTo("2026-03-01T10:00:00Z");
            assertThat(started.has("estimatedCompletionTime")).isFalse();

            clock.now = clock.now.plusSeconds(40);   // first epoch: 40 s
            endpoint.onEpoch(new EpochResult(1, 0.9, 0.7, 0.61, 0.712, 0.1, 35, 1714.4));
            clock.now = clock.now.plusSeconds(20);   // second epoch: 20 s; mean 30 s, 8 epochs left → 240 s
            endpoint.onEpoch(new EpochResult(2, 0.7, 0.8, 0.52, 0.803, 0.1, 18, 3333.3));
            JsonNode second = json(get(endpoint, "/progress"));
            assertThat(second.path("epoch").asInt()).isEqualTo(2);
            assertThat(second.path("epochs").asInt()).isEqualTo(10);
            assertThat(second.path("testAccuracy").asDouble()).isEqualTo(0.803);
            assertThat(second.path("testLoss").asDouble()).isEqualTo(0.52);
            assertThat(second.path("samplesPerSecond").asDouble()).isEqualTo(3333.0);
            assertThat(second.path("updateTime").asText()).isEqualTo("2026-03-01T10:01:00Z");
            assertThat(second.path("estimatedCompletionTime").asText()).isEqualTo("2026-03-01T10:05:00Z");
        }
    }

    @Test
    void aResumedRunStartsFromItsCheckpointsEpoch() throws Exception {
        try (ProgressEndpoint endpoint = ProgressEndpoint.start(0, new TestClock())) {
            endpoint.onStart(null, 8, 10, 469);
            assertThat(json(get(endpoint, "/progress")).path("epoch").asInt()).isEqualTo(7);
        }
    }

    @Test
    void answersNothingElse() throws Exception {
        try (ProgressEndpoint endpoint = ProgressEndpoint.start(0, new TestClock())) {
            assertThat(get(endpoint, "/").statusCode()).isEqualTo(404);
            assertThat(get(endpoint, "/progress/x").statusCode()).isEqualTo(404);
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri(endpoint, "/progress"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(404);
        }
    }

    private static URI uri(ProgressEndpoint endpoint, String path) {
        return URI.create("http://127.0.0.1:" + endpoint.port() + path);
    }

    private static HttpResponse<String> get(ProgressEndpoint endpoint, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(endpoint, path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new ObjectMapper().readTree(response.body());
    }
}
