package dev.distillation.operator.metrics;

import dev.distillation.api.v1alpha1.DistillationChain;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;

/**
 * Tells the metrics when a chain is deleted, so that its per-stage series go with it. An event source
 * only to be told of the chain's deletion by the SDK (the reconciler has no cleanup step: owner
 * references delete everything else); it has no resources and sends no events.
 */
public final class ChainDeletions extends AbstractEventSource<ChainDeletions.None, DistillationChain>
        implements ResourceEventAware<DistillationChain> {

    public static final String NAME = "chain-deletions";

    /** The resource type of an event source that has none. */
    public static final class None {
        private None() {}
    }

    private final OperatorMetrics metrics;

    public ChainDeletions(OperatorMetrics metrics) {
        super(None.class, NAME);
        this.metrics = metrics;
    }

    @Override
    public Set<None> getSecondaryResources(DistillationChain chain) {
        return Set.of();
    }

    @Override
    public void onResourceDeleted(DistillationChain chain) {
        metrics.chainDeleted(chain.getMetadata().getNamespace(), chain.getMetadata().getName());
    }
}
