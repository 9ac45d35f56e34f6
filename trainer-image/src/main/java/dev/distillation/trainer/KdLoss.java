package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The knowledge-distillation loss of Hinton et al. as used by Mirzadeh et al.:
 * {@code L = (1 − α)·CE(y, s) + α·T²·KL(softmax(t/T) ‖ softmax(s/T))}, with s the student's logits,
 * t the teacher's, T the temperature and α the weight of the soft term; both terms are means over
 * the batch (KL summed over classes, then averaged over examples: PyTorch's "batchmean"). The T²
 * factor keeps the soft term's gradients on the scale of the hard term's as T grows.
 */
public final class KdLoss {

    private static final int[] CLASS_AXIS = {1};
    private static final Shape SCALAR = new Shape();

    private KdLoss() {}

    /** Mean cross-entropy of {@code logits} (B × K) against one-hot {@code targets} (B × K). */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(CLASS_AXIS).mean().neg();
    }

    /** Mean KL(softmax(t/T) ‖ softmax(s/T)) over the batch (without the T² factor). */
    public static NDArray softKl(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        NDArray t = scalar(studentLogits.getManager(), temperature);
        NDArray logPt = teacherLogits.div(t).logSoftmax(1);
        NDArray pt = logPt.exp();
        NDArray logPs = studentLogits.div(t).logSoftmax(1);
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
        NDManager manager = studentLogits.getManager();
        // shape (1), not a scalar: PyTorch lets a 0-dim float64 operand keep the result float32
        NDArray one = manager.ones(new Shape(1), DataType.FLOAT64);
        NDArray s = studentLogits.mul(one);
        NDArray t = teacherLogits.mul(one);
        NDArray soft = softKl(s, t, temperature).mul(scalar(manager, alpha * temperature * temperature));
        return alpha == 1 ? soft : crossEntropy(s, oneHot).mul(scalar(manager, 1 - alpha)).add(soft);
    }

    /**
     * A 0-dim float32 array made by the engine, belonging to {@code manager}. Never DJL's
     * {@code mul(Number)} and the like on arrays autograd follows: they wrap the number in an array
     * over a Java direct buffer and close it as soon as the op returns, while autograd keeps that
     * array for backward; the first garbage collection before backward frees the buffer, and backward
     * reads whatever was allocated in its place (seen in training as gradients a few percent off, or
     * NaN, after a collection). An array the engine allocated stays valid for as long as autograd
     * holds it. (float32, as a Java float operand would be: a 0-dim operand does not promote.)
     */
    static NDArray scalar(NDManager manager, double value) {
        return manager.full(SCALAR, (float) value, DataType.FLOAT32);
    }

    /** The value of a scalar loss of either precision. */
    public static double value(NDArray loss) {
        return loss.getDataType() == DataType.FLOAT64 ? loss.getDouble() : loss.getFloat();
    }
}
