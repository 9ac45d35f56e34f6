package dev.distillation.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import dev.distillation.operator.reconciler.StatusWriter.Written;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

    private static DistillationChainStatus status(ChainPhase phase, String message) {
        DistillationChainStatus s = new DistillationChainStatus();
        s.setPhase(phase);
        s.setSummary(message);
        return s;
    }

    private static DistillationChain cached(String resourceVersion, DistillationChainStatus status) {
        DistillationChain c = new DistillationChain();
        c.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ml").withUid("u1").withResourceVersion(resourceVersion).build());
        c.setStatus(status);
        return c;
    }

    @Test
    void withoutAWriteOfItsOwnTheCachedStatusIsTheNewest() {
        DistillationChainStatus pending = status(ChainPhase.Pending, "waiting");
        assertThat(StatusWriter.newest(cached("5", pending), null)).isSameAs(pending);
    }

    @Test
    void aWriteTheCacheHasNotSeenYetIsNewerThanTheCache() {
        DistillationChainStatus pending = status(ChainPhase.Pending, "pod replaced");
        DistillationChainStatus running = status(ChainPhase.Running, "training");
        // the cache still holds Pending (version 5); this operator wrote Running (version 6)
        DistillationChainStatus newest = StatusWriter.newest(cached("5", pending), new Written(6, running));
        assertThat(newest).isSameAs(running);
        // so computing Pending again is a change, and is written
        assertThat(status(ChainPhase.Pending, "pod replaced")).isNotEqualTo(newest);
    }

    @Test
    void onceTheCacheHasCaughtUpItIsTheNewestAgain() {
        DistillationChainStatus running = status(ChainPhase.Running, "training");
        DistillationChainStatus editedElsewhere = status(ChainPhase.Running, "written by another replica");
        assertThat(StatusWriter.newest(cached("6", running), new Written(6, running))).isSameAs(running);
        assertThat(StatusWriter.newest(cached("9", editedElsewhere), new Written(6, running))).isSameAs(editedElsewhere);
    }

    @Test
    void anUnreadableResourceVersionMakesNothingCurrentSoTheStatusIsWritten() {
        DistillationChainStatus running = status(ChainPhase.Running, "training");
        assertThat(StatusWriter.newest(cached("not-a-number", running), new Written(6, running))).isNull();
    }
}
