package dev.distillation.operator.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator's side of the progress endpoint, against a real HTTP server standing in for a trainer. */
class ProgressPollerTest {

    static final Duration INTERVAL = Duration.ofSeconds(15);

    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    final TestClock clock = new TestClock();
    final AtomicInteger asked = new AtomicInteger();
    final Set<Pod> pods = new HashSet<>();
    final DistillationChain chain = TestChains.paper();
    volatile int status = 200;
    volatile String body = "{\"epoch\":57,\"epochs\":200,\"testAccuracy\":0.712,\"testLoss\":0.81,\"samplesPerSecond\":2210.0}";
    HttpServer trainer;
    ProgressPoller poller;

    @BeforeEach
    void start() throws IOException {
        trainer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        trainer.createContext("/progress", exchange -> {
            asked.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        trainer.start();
        chain.getMetadata().setNamespace("ml");
        poller = new ProgressPoller(c -> Set.copyOf(pods), INTERVAL, Duration.ofSeconds(5), clock);
    }

    @AfterEach
    void stop() {
        trainer.stop(0);
    }

    /** The chain's teacher Pod, running at 127.0.0.1 and declaring the test server's port. */
    Pod runningTeacher(String name) {
        Pod pod = ProgressTargetsTest.pod(p -> ProgressTargetsTest.running(p, "127.0.0.1"));
        return new PodBuilder(pod).editMetadata().withName(name).endMetadata()
                .editSpec().editFirstContainer().editFirstPort().withContainerPort(trainer.getAddress().getPort()).endPort().endContainer().endSpec()
                .build();
    }

    @Test
    void readsWhatARunningTrainerAnswers() {
        pods.add(runningTeacher("paper-teacher-a1"));
        assertThat(poller.fetchResources(chain)).singleElement().satisfies(r -> {
            assertThat(r.stage()).isEqualTo("teacher");
            assertThat(r.pod()).isEqualTo("paper-teacher-a1");
            assertThat(r.progress().getEpoch()).isEqualTo(57);
            assertThat(r.progress().getEpochs()).isEqualTo(200);
            assertThat(r.progress().getTestAccuracy()).isEqualTo(0.712);
            assertThat(r.progress().getTestLoss()).isEqualTo(0.81);
            assertThat(r.progress().getSamplesPerSecond()).isEqualTo(2210.0);
        });
        assertThat(asked).hasValue(1);
    }

    @Test
    void aPodThatStoppedRunningIsForgotten() {
        Pod pod = runningTeacher("paper-teacher-a1");
        pods.add(pod);
        assertThat(poller.fetchResources(chain)).hasSize(1);
        pods.clear();
        assertThat(poller.fetchResources(chain)).isEmpty();
        assertThat(asked).hasValue(1);
    }

    @Test
    void aTrainerThatStopsAnsweringKeepsItsLastReadingAndIsAskedLessAndLessOften() {
        pods.add(runningTeacher("paper-teacher-a1"));
        assertThat(poller.fetchResources(chain)).hasSize(1);
        status = 500;

        assertThat(poller.fetchResources(chain)).singleElement().satisfies(r -> assertThat(r.progress().getEpoch()).isEqualTo(57));
        assertThat(asked).hasValue(2);
        poller.fetchResources(chain);                       // paused for one interval: not asked
        assertThat(asked).hasValue(2);
        clock.now = clock.now.plus(INTERVAL);
        poller.fetchResources(chain);                       // asked, fails again: paused for two intervals
        assertThat(asked).hasValue(3);
        clock.now = clock.now.plus(INTERVAL);
        poller.fetchResources(chain);
        assertThat(asked).hasValue(3);
        clock.now = clock.now.plus(INTERVAL);
        status = 200;
        body = "{\"epoch\":58,\"epochs\":200}";
        assertThat(poller.fetchResources(chain)).singleElement().satisfies(r -> assertThat(r.progress().getEpoch()).isEqualTo(58));
        assertThat(asked).hasValue(4);
        poller.fetchResources(chain);                       // answering again: asked on every poll
        assertThat(asked).hasValue(5);
    }

    @Test
    void anAnswerThatIsNotAProgressDocumentIsNoReading() {
        pods.add(runningTeacher("paper-teacher-a1"));
        body = "<html>not json</html>";
        assertThat(poller.fetchResources(chain)).isEmpty();
    }

    @Test
    void anOversizedAnswerIsRefused() {
        assertThatThrownBy(() -> ProgressPoller.parse(new byte[ProgressPoller.MAX_BODY_BYTES + 1]))
                .isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }

    @ParameterizedTest(name = "{0} failures → {1}")
    @CsvSource({"0, PT0S", "1, PT15S", "2, PT30S", "3, PT1M", "5, PT4M", "6, PT5M", "40, PT5M"})
    void pauseDoublesPerFailureUpToFiveMinutes(int failures, String pause) {
        assertThat(ProgressPoller.pause(failures, INTERVAL)).isEqualTo(Duration.parse(pause));
    }
}
