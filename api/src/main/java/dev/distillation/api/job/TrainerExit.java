package dev.distillation.api.job;

import java.util.Arrays;
import java.util.Optional;

/**
 * How {@code distill train} ends: its exit code, and whether running the same StageJob again can
 * help. Part of the StageJob contract: the trainer exits with these codes and writes a one-line
 * reason to its termination message; the operator retries a stage only after {@link #CRASHED}.
 */
public enum TrainerExit {

    /** The stage trained (or loaded) and evaluated; its metrics are in the termination message. */
    COMPLETED(0, true, "completed"),
    /**
     * Anything the trainer did not foresee (a native error, an unwritable output folder, a lost
     * node...): a new attempt may succeed, and counts against {@code backoffLimit}.
     */
    CRASHED(1, true, "the trainer crashed"),
    /**
     * The input cannot be used: an invalid StageJob, an unreadable dataset, a corrupt or
     * mismatched teacher or pretrained checkpoint, a GPU asked for but not there. Not retried.
     */
    BAD_INPUT(2, false, "bad input"),
    /**
     * The JVM heap (or libtorch's allocator) ran out. Not retried: give the trainer more memory
     * (spec.trainer.resources.memory). The same code as the JVM's own exit on an OutOfMemoryError
     * ({@code -XX:+ExitOnOutOfMemoryError}), so both mean the same.
     */
    OUT_OF_MEMORY(3, false, "out of memory"),
    /**
     * The recipe failed in a way the same seed repeats (the run collapsed or diverged). Not
     * retried: change the stage's training settings.
     */
    TRAINING_FAILED(4, false, "training failed");

    private final int code;
    private final boolean retriable;
    private final String description;

    TrainerExit(int code, boolean retriable, String description) {
        this.code = code;
        this.retriable = retriable;
        this.description = description;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }

    /** Whether a new attempt with the same StageJob can succeed (true for {@link #COMPLETED} too: nothing to refuse). */
    public boolean retriable() {
        return retriable;
    }

    /** A few words for messages, e.g. "bad input". */
    public String description() {
        return description;
    }

    /** The exit with this code; empty for codes the trainer never uses itself (a signal, the JVM dying). */
    public static Optional<TrainerExit> ofCode(int code) {
        return Arrays.stream(values()).filter(e -> e.code == code).findFirst();
    }
}
