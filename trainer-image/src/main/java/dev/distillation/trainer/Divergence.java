package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.distillation.api.job.StageJob;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Numbers that stopped being finite, and what the user is told. A loss that is NaN or infinite means
 * the weights have blown up and every later step would train on NaN (and every student of this stage
 * learn from it): the stage fails before that step's update, and the epoch checkpoints before it stay,
 * but the stage is not retried: the same settings and seed diverge again (exit code 4, training
 * failed). A teacher whose logits are not finite holds a diverged
 * network: that is bad input, found before any student step where the logits are cached.
 */
final class Divergence {

    private Divergence() {}

    /** The failure of a step whose loss is not finite: the teacher's fault when its logits were not, else the student's. */
    static TrainerException ofStep(StageJob job, Block block, double loss, Step step, NDArray x, NDArray logits, NDArray teacherLogits) {
        if (teacherLogits != null && !finite(teacherLogits)) {
            return unusableTeacher(job, "a batch of epoch " + step.epoch());
        }
        return diverged(loss, step, job.training().getBatchSize(), whereNotFinite(block, x, logits));
    }

    /** Where a step is: 1-based epoch, 1-based step of {@code steps}, and the step's learning rate. */
    record Step(int epoch, long step, long steps, double learningRate) {}

    static TrainerException diverged(double loss, Step at, int batchSize, String where) {
        return new TrainerException(TrainerException.TRAINING_FAILED, String.format(Locale.ROOT,
                "training diverged: the loss became %s at epoch %d, step %d of %d (learning rate %.4g, batch size %d; %s); "
                        + "the same settings diverge again: lower training.learningRate, raise training.warmupEpochs or clip "
                        + "harder with a smaller training.gradientClipNorm (0 = no clipping), then train the stage again",
                Double.isNaN(loss) ? "NaN" : "infinite", at.epoch(), at.step(), at.steps(), at.learningRate(), batchSize, where));
    }

    /** Where the first non-finite value of a diverged step is: a weight (an earlier update), the input, the output or the loss. */
    static String whereNotFinite(Block block, NDArray x, NDArray logits) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!finite(p.getValue().getArray())) {
                return "parameter " + p.getKey() + " was already not finite: an earlier update made it so";
            }
        }
        if (!finite(x)) {
            return "the batch's images were not finite";
        }
        if (!finite(logits)) {
            return "the network's output was not finite although its weights and input were";
        }
        return "the loss alone was not finite: the output was";
    }

    static TrainerException unusableTeacher(StageJob job, String where) {
        return TrainerException.badInput("teacher " + StageFolder.of(Path.of(job.teacherDir())).weights() + " gives logits that are "
                + "not finite (NaN or infinite) for " + where + ": it holds a diverged network; train the teacher stage again");
    }

    static boolean finite(NDArray a) {
        return firstNonFinite(a.toFloatArray()) < 0;
    }

    /** The index of the first NaN or infinite value, or -1. */
    static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }
}
