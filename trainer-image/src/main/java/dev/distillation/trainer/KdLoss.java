package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The knowledge-distillation loss of Hinton et al. as used by Mirzadeh et al.:
 * {@code L = (1 − α)·CE(y, s) + α·T²·KL(softmax(t/T) ‖ softmax(s/T))}, with s the student's logits,
 * t the teacher's, T the temperature and α the weight of the soft term; both terms are means over
 * the batch (KL summed over classes, then averaged over examples: PyTorch's "batchmean"). The T²
 * factor keeps the soft term's gradients on the scale of the hard term's as T grows.
 */
public final class KdLoss {

    private static final int[] CLASS_AXIS = {1};
    // scalars are passed as float: a Java double would promote the whole computation to float64

    private KdLoss() {}

    /** Mean cross-entropy of {@code logits} (B × K) against one-hot {@code targets} (B × K). */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(CLASS_AXIS).mean().neg();
    }

    /** Mean KL(softmax(t/T) ‖ softmax(s/T)) over the batch (without the T² factor). */
    public static NDArray softKl(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        NDArray teacherScaled = teacherLogits.div((float) temperature);
        NDArray logPt = teacherScaled.logSoftmax(1);
        NDArray pt = logPt.exp();
        NDArray logPs = studentLogits.div((float) temperature).logSoftmax(1);
        return pt.mul(logPt.sub(logPs)).sum(CLASS_AXIS).mean();
    }

    /**
     * The stage's training loss. Without a teacher (or with α = 0) it is the cross-entropy alone;
     * with α = 1 the soft term alone.
     */
    public static NDArray loss(NDArray studentLogits, NDArray oneHot, NDArray teacherLogits, double temperature, double alpha) {
        if (teacherLogits == null || alpha == 0) {
            return crossEntropy(studentLogits, oneHot);
        }
        // The soft term is computed in float64 (a B × K array, so it costs nothing): α·T² multiplies
        // float32 rounding in the KL by up to 400 at T = 20, which would put the loss 2e-5 off.
        NDArray s = studentLogits.toType(DataType.FLOAT64, false);
        NDArray t = teacherLogits.toType(DataType.FLOAT64, false);
        NDArray soft = softKl(s, t, temperature).mul((float) (alpha * temperature * temperature));
        NDArray total = alpha == 1 ? soft : crossEntropy(s, oneHot).mul((float) (1 - alpha)).add(soft);
        return total.toType(studentLogits.getDataType(), false);
    }
}
