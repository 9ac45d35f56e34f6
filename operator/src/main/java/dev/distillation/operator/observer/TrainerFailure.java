package dev.distillation.operator.observer;

import dev.distillation.api.job.TrainerExit;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;

/**
 * How a trainer container that did not succeed ended, and whether a new attempt can help. The
 * trainer's exit code says which {@link TrainerExit} it was (a code it never uses itself, such as
 * a signal's, reads as {@link TrainerExit#CRASHED}); a container the kernel killed for its memory
 * limit ({@code OOMKilled}) is not retried either, since the same limit kills it again. Pure.
 *
 * @param exit        what the trainer's exit code means
 * @param oomKilled   whether the container was killed for exceeding its memory limit
 * @param exitCode    the exit code as the kubelet reported it
 * @param reason      the trainer's one-line reason ({@link TerminationMessage#reason}), or empty
 * @param memoryLimit the container's memory limit, or null when it has none
 */
public record TrainerFailure(TrainerExit exit, boolean oomKilled, int exitCode, String reason, String memoryLimit) {

    /** The field a user raises when the trainer runs out of memory. */
    static final String MEMORY_FIELD = "spec.trainer.resources.memory";

    public static TrainerFailure of(ContainerStateTerminated terminated, String memoryLimit) {
        int code = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
        TrainerExit exit = TrainerExit.ofCode(code).filter(e -> e != TrainerExit.COMPLETED).orElse(TrainerExit.CRASHED);
        String message = terminated.getMessage() == null ? "" : TerminationMessage.reason(terminated.getMessage());
        return new TrainerFailure(exit, "OOMKilled".equals(terminated.getReason()), code, message, memoryLimit);
    }

    /** Whether a new attempt with the same StageJob may succeed: only after a crash. */
    public boolean retriable() {
        return !oomKilled && exit.retriable();
    }

    /** One line for the stage's status message, naming the kind of failure and quoting the trainer. */
    public String describe(String pod) {
        if (oomKilled) {
            return "pod " + pod + " was killed for using more memory than its limit (OOMKilled, exit code " + exitCode + ", "
                    + limit() + "): raise " + MEMORY_FIELD;
        }
        return switch (exit) {
            case OUT_OF_MEMORY -> "pod " + pod + ": the trainer ran out of memory (exit code " + exitCode + ", " + limit()
                    + "): raise " + MEMORY_FIELD + quoted();
            case BAD_INPUT -> "pod " + pod + ": bad input (exit code " + exitCode + ")" + quoted();
            case TRAINING_FAILED -> "pod " + pod + ": training failed (exit code " + exitCode
                    + "), as it would again with the same settings" + quoted();
            case CRASHED, COMPLETED -> "pod " + pod + " crashed (exit code " + exitCode + ")" + quoted();
        };
    }

    private String limit() {
        return memoryLimit == null ? "no memory limit set" : "memory limit " + memoryLimit;
    }

    private String quoted() {
        return reason.isEmpty() ? "" : ": " + reason;
    }
}
