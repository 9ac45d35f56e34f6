package dev.distillation.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.decision.StageEvent;
import io.fabric8.kubernetes.api.model.Event;
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
}
