package dev.distillation.api.v1alpha1;

/** Where a chain as a whole stands. */
public enum ChainPhase {
    /** Accepted; no stage Pod has started yet. */
    Pending,
    /** At least one stage is running or waiting for its teacher. */
    Running,
    /** Every stage succeeded. */
    Succeeded,
    /** A stage failed after its retries; its descendants were skipped. */
    Failed,
    /** spec.suspend is true: no new stage starts. */
    Suspended,
    /** The spec failed validation; nothing was created. */
    Invalid
}
