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
     * with α = 1 the soft term alone. With a teacher the loss is computed, and returned, in float64
     * (the arrays are B × K, so it costs nothing): α·T² multiplies float32 rounding in the KL term
     * by up to 400 at T = 20, which would put the loss 2e-5 off. The promotion is a multiplication
     * by a float64 array of shape (1), which autograd follows (DJL's toType does not keep the graph).
     */
    public static NDArray loss(NDArray studentLogits, NDArray oneHot, NDArray teacherLogits, double temperature, double alpha) {
        if (teacherLogits == null || alpha == 0) {
            return crossEntropy(studentLogits, oneHot);
        }
        // shape (1), not a scalar: PyTorch lets a 0-dim float64 operand keep the result float32
        NDArray one = studentLogits.getManager().create(new double[] {1.0});
        NDArray s = studentLogits.mul(one);
        NDArray t = teacherLogits.mul(one);
        NDArray soft = softKl(s, t, temperature).mul((float) (alpha * temperature * temperature));
        return alpha == 1 ? soft : crossEntropy(s, oneHot).mul((float) (1 - alpha)).add(soft);
    }

    /** The value of a scalar loss of either precision. */
    public static double value(NDArray loss) {
        return loss.getDataType() == DataType.FLOAT64 ? loss.getDouble() : loss.getFloat();
    }
}
