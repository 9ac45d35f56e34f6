package dev.distillation.trainer;

import dev.distillation.api.job.TrainerExit;

/**
 * A stage that cannot be trained. {@link #getMessage()} is one line for the user, naming the file
 * or field at fault and what was expected; {@link #exitCode()} is what {@code distill train} exits with.
 */
public class TrainerException extends Exception {

    /** Bad input: a missing or corrupt dataset, teacher or checkpoint, or an invalid StageJob (not retried). */
    public static final int BAD_INPUT = TrainerExit.BAD_INPUT.code();
    /** Anything else (a native error, an unwritable output folder...): the operator retries it. */
    public static final int FAILURE = TrainerExit.CRASHED.code();

    /** The recipe failed in a way the same settings repeat (collapsed or diverged): not retried. */
    public static final int TRAINING_FAILED = TrainerExit.TRAINING_FAILED.code();
    /** The JVM heap, or libtorch's allocator, ran out of memory: not retried; the message names the field to raise. */
    public static final int OUT_OF_MEMORY = TrainerExit.OUT_OF_MEMORY.code();

    private final int exitCode;

    public TrainerException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public TrainerException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static TrainerException badInput(String message) {
        return new TrainerException(BAD_INPUT, message);
    }

    public static TrainerException badInput(String message, Throwable cause) {
        return new TrainerException(BAD_INPUT, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
