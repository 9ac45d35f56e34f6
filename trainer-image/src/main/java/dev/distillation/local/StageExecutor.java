package dev.distillation.local;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.TrainingListener;

/** Trains one stage. The local runner uses the real trainer; tests of the runner's bookkeeping may use a fake. */
@FunctionalInterface
public interface StageExecutor {

    /**
     * Trains (or resumes) the stage {@code job} describes, writing its outputs to {@code job.outputDir()},
     * the {@code fingerprint} file last.
     *
     * @throws StageFailedException when the stage cannot be trained; its exit code tells bad input (2) from a failure
     */
    StageMetrics run(StageJob job, TrainingListener listener) throws StageFailedException;

    /** A stage that did not finish: {@code exitCode} 2 means bad input (the whole run stops), anything else a failure. */
    final class StageFailedException extends Exception {
        private final int exitCode;

        public StageFailedException(int exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
