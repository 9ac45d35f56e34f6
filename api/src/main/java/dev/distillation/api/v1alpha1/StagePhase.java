package dev.distillation.api.v1alpha1;

/** Where one stage stands. */
public enum StagePhase {
    /** Its teacher stage has not succeeded yet, or parallelism is used up. */
    Waiting,
    /** Its Pod exists but is not running yet (scheduling, pulling the image). */
    Pending,
    /** Its Pod is running. */
    Running,
    /** Trained (or loaded) and evaluated; metrics are in status. */
    Succeeded,
    /** Failed after backoffLimit retries. */
    Failed,
    /** Not run because a stage it learns from failed. */
    Skipped;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Skipped;
    }
}
