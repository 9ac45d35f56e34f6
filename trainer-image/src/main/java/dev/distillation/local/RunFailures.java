package dev.distillation.local;

import dev.distillation.api.job.TrainerExit;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.local.StageExecutor.StageFailedException;
import java.util.HashSet;
import java.util.Set;

/**
 * The stages of a local run left without a result, and what that means for the rest of the run: a
 * stage whose trainer found bad input (exit code 2: a missing dataset or teacher file...) stops the
 * run; any other failure (a crash, a collapsed or diverged run, running out of memory) only skips
 * the stage's students. Decides the run's exit code.
 */
final class RunFailures {

    private final Set<String> withoutResult = new HashSet<>();
    private boolean failed;
    private String badInput;

    void failed(String stage, StageFailedException e) {
        withoutResult.add(stage);
        if (e.exitCode() == TrainerExit.BAD_INPUT.code()) {
            badInput = e.getMessage();
        } else {
            failed = true;
        }
    }

    /** A candidate failed: only bad input matters to the run (its stage chooses among the other candidates). */
    void candidateFailed(StageFailedException e) {
        if (e.exitCode() == TrainerExit.BAD_INPUT.code()) {
            badInput = e.getMessage();
        }
    }

    /** A stage none of whose candidates has a result, though some ran: the stage failed. */
    void noCandidateSucceeded(String stage) {
        withoutResult.add(stage);
        failed = true;
    }

    void skipped(String stage) {
        withoutResult.add(stage);
    }

    /** Whether the run stopped on bad input: no further stage is trained. */
    boolean stopped() {
        return badInput != null;
    }

    /** Whether {@code stage} learns from a teacher that has no result. */
    boolean teacherMissing(StageSpec stage) {
        return stage.getTeacher() != null && withoutResult.contains(stage.getTeacher());
    }

    /** The trainer's message when the run stopped on bad input, else null. */
    String badInput() {
        return badInput;
    }

    /** 0 when every stage has a result, 2 when the run stopped on bad input, 1 when a stage failed. */
    int exitCode() {
        return badInput != null ? 2 : failed ? 1 : 0;
    }
}
