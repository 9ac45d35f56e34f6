package dev.distillation.operator.reconciler;

import dev.distillation.api.v1alpha1.DistillationChain;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells the operator's in-memory state when a chain is deleted (its per-stage metric series, the
 * status last written for it), so that nothing is kept for chains that are gone. An event source
 * only to be told of the chain's deletion by the SDK (the reconciler has no cleanup step: owner
 * references delete everything else); it has no resources and sends no events.
 */
final class ChainDeletions extends AbstractEventSource<ChainDeletions.None, DistillationChain>
        implements ResourceEventAware<DistillationChain> {

    static final String NAME = "chain-deletions";

    /** The resource type of an event source that has none. */
    static final class None {
        private None() {}
    }

    private final Consumer<DistillationChain> onDeleted;

    ChainDeletions(Consumer<DistillationChain> onDeleted) {
        super(None.class, NAME);
        this.onDeleted = onDeleted;
    }

    @Override
    public Set<None> getSecondaryResources(DistillationChain chain) {
        return Set.of();
    }

    @Override
    public void onResourceDeleted(DistillationChain chain) {
        onDeleted.accept(chain);
    }
}
