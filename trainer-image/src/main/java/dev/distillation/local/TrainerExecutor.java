package dev.distillation.local;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.TrainerExit;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.OutOfMemory;
import dev.distillation.trainer.StageRunner;
import dev.distillation.trainer.TrainerException;
import dev.distillation.trainer.TrainerOptions;
import dev.distillation.trainer.TrainingListener;

/** The real trainer behind {@link StageExecutor}: the same StageRunner a stage Pod runs with {@code distill train}. */
public final class TrainerExecutor implements StageExecutor {

    private final StageRunner trainer;

    public TrainerExecutor(TrainerOptions options) {
        this.trainer = new StageRunner(options);
    }

    @Override
    public StageMetrics run(StageJob job, TrainingListener listener) throws StageFailedException {
        try {
            return trainer.run(job, listener);
        } catch (TrainerException e) {
            throw new StageFailedException(e.exitCode(), e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            TrainerException oom = OutOfMemory.failure(e, "training stage " + job.stage());
            throw new StageFailedException(oom.exitCode(), oom.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StageFailedException(TrainerExit.CRASHED.code(), e.toString(), e);
        }
    }
}
