package dev.distillation.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.decision.StageEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChainEventsTest {

    @Test
    void eventIsOnTheChainWithAStableName() {
        DistillationChain chain = TestChains.paper();
        chain.getMetadata().setUid("0a1b2c3d-4e5f-6789-abcd-ef0123456789");

        Event e = ChainEvents.build(chain, new StageEvent(StageEvent.Type.Warning, StageEvent.UNSCHEDULABLE, "teacher",
                "cifar10-plain-cnn-teacher-a1.unschedulable", "no GPU"), Instant.parse("2026-01-01T10:00:00.123Z"));

        assertThat(e.getMetadata().getName()).isEqualTo("cifar10-plain-cnn.0a1b2c3d.cifar10-plain-cnn-teacher-a1.unschedulable");
        assertThat(e.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("DistillationChain");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo(chain.getMetadata().getUid());
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("Unschedulable");
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(e.getSource().getComponent()).isEqualTo("distillation-operator");
    }

    @Test
    void anEventPostedOnceIsNotSentAgain() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            server.expect().post().withPath("/api/v1/namespaces/ml/events").andReturn(201, new Event()).always();
            ChainEvents events = new ChainEvents();
            DistillationChain chain = TestChains.paper();
            StageEvent failed = new StageEvent(StageEvent.Type.Warning, StageEvent.FAILED, "teacher", "p-a1.failed", "boom");

            assertThat(events.record(client, chain, failed)).isTrue();
            assertThat(events.record(client, chain, failed)).as("a reconcile that reads the failed stage again").isFalse();
            assertThat(events.record(client, chain, new StageEvent(StageEvent.Type.Normal, StageEvent.STARTED, "teacher", "p-a2.started", "x")))
                    .isTrue();
            assertThat(server.getRequestCount()).isEqualTo(2);
        } finally {
            server.destroy();
        }
    }
}
