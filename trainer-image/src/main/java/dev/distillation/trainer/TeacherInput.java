package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.distillation.trainer.data.Normalization;

/**
 * Runs the teacher on the student's batch, renormalised first when the teacher was trained with
 * other statistics: {@code x_t = ((x_s·σ_s + μ_s) − μ_t) / σ_t} per channel.
 */
final class TeacherInput {

    private final Block block;
    private final ParameterStore store;
    private final float[] scale;
    private final float[] shift;

    TeacherInput(ModelFiles.Loaded teacher, Normalization studentNorm) {
        this.block = teacher.block();
        this.store = new ParameterStore(teacher.model().getNDManager(), false);
        Normalization tn = teacher.info().normalizationValue();
        if (tn.closeTo(studentNorm, 1e-9)) {
            scale = null;
            shift = null;
        } else {
            int c = studentNorm.mean().length;
            scale = new float[c];
            shift = new float[c];
            for (int i = 0; i < c; i++) {
                scale[i] = (float) (studentNorm.std()[i] / tn.std()[i]);
                shift[i] = (float) ((studentNorm.mean()[i] - tn.mean()[i]) / tn.std()[i]);
            }
        }
    }

    /**
     * The teacher's logits for the student's batch {@code x}, belonging to {@code x}'s manager. The
     * renormalisation's operands are arrays of that manager too: they live until the step ends, and
     * nothing here is on a graph autograd follows (the teacher is frozen and runs in inference mode).
     */
    NDArray logits(NDArray x) {
        NDArray in = x;
        if (scale != null) {
            NDManager m = x.getManager();
            Shape s = new Shape(1, scale.length, 1, 1);
            in = x.mul(m.create(scale, s)).add(m.create(shift, s));
        }
        return Forward.run(block, store, in, false);
    }
}
