package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The KD loss against independent values: PyTorch 1.13 in float64 on the same numbers (the test's
 * float32 logits widened to float64; F.cross_entropy and F.kl_div(log_softmax(s/T), softmax(t/T), reduction="batchmean"),
 * script in trainer-image/bench/kd_reference.py), and a plain double-precision Java reference.
 */
class KdLossTest {

    static final float[][] S = {{1.5f, -0.3f, 0.2f, 2.0f}, {0.1f, 0.4f, -1.2f, 0.0f}, {3.0f, 1.0f, -2.0f, 0.5f}};
    static final float[][] T = {{2.5f, 0.3f, -0.2f, 1.0f}, {-0.5f, 1.4f, 0.2f, 0.3f}, {1.0f, 2.0f, -1.0f, 0.0f}};
    static final int[] Y = {3, 1, 0};

    @BeforeAll
    static void engine() throws Exception {
        Engines.pytorch(2);
    }

    static NDArray array(NDManager m, float[][] v) {
        float[] flat = new float[v.length * v[0].length];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(v[i], 0, flat, i * v[0].length, v[0].length);
        }
        return m.create(flat, new Shape(v.length, v[0].length));
    }

    static NDArray oneHot(NDManager m, int[] y, int k) {
        float[][] v = new float[y.length][k];
        for (int i = 0; i < y.length; i++) {
            v[i][y[i]] = 1;
        }
        return array(m, v);
    }

    /** The formula written out in double precision, independently of the NDArray code. */
    static double reference(float[][] s, float[][] t, int[] y, double temp, double alpha) {
        double ce = 0;
        double kl = 0;
        for (int i = 0; i < s.length; i++) {
            double[] ls = logSoftmax(s[i], 1);
            ce -= ls[y[i]];
            double[] lsT = logSoftmax(s[i], temp);
            double[] ltT = logSoftmax(t[i], temp);
            for (int k = 0; k < ls.length; k++) {
                kl += Math.exp(ltT[k]) * (ltT[k] - lsT[k]);
            }
        }
        ce /= s.length;
        kl /= s.length;
        return (1 - alpha) * ce + alpha * temp * temp * kl;
    }

    static double[] logSoftmax(float[] v, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x / temp);
        }
        double sum = 0;
        for (float x : v) {
            sum += Math.exp(x / temp - max);
        }
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k] / temp - max - Math.log(sum);
        }
        return out;
    }

    @ParameterizedTest(name = "T={0} alpha={1}")
    @CsvSource({
            "4.0, 0.9, 0.49890348047921695",
            "1.0, 0.5, 0.5446008554280657",
            "2.0, 0.0, 0.5966067778978003",   // alpha = 0: cross-entropy alone
            "3.0, 1.0, 0.49486340425542774",  // alpha = 1: soft term alone, T² = 9 times the KL
            "20.0, 0.7, 0.50481157030851",  // large T: the KL is tiny, T² = 400 keeps it in range
    })
    void matchesPyTorchAndTheDoubleReference(double temp, double alpha, double pytorch) {
        try (NDManager m = NDManager.newBaseManager()) {
            double got = KdLoss.value(KdLoss.loss(array(m, S), oneHot(m, Y, 4), array(m, T), temp, alpha));
            assertThat(relErr(got, pytorch)).as("vs PyTorch").isLessThan(1e-5);
            assertThat(relErr(got, reference(S, T, Y, temp, alpha))).as("vs double reference").isLessThan(1e-5);
        }
    }

    @Test
    void temperatureSquaredScalesTheSoftTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            double kl = KdLoss.softKl(array(m, S), array(m, T), 3.0).getFloat();
            assertThat(relErr(kl, 0.05498482269504753)).isLessThan(1e-5);
            double soft = KdLoss.value(KdLoss.loss(array(m, S), oneHot(m, Y, 4), array(m, T), 3.0, 1.0));
            assertThat(relErr(soft, 9 * kl)).isLessThan(1e-6);
        }
    }

    @Test
    void withoutTeacherItIsCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            double ce = KdLoss.loss(array(m, S), oneHot(m, Y, 4), null, 4.0, 0.9).getFloat();
            assertThat(relErr(ce, 0.5966067778978003)).isLessThan(1e-5);
        }
    }

    @Test
    void identicalLogitsGiveZeroKl() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(KdLoss.softKl(array(m, S), array(m, S), 4.0).getFloat()).isLessThan(1e-7f);
        }
    }

    /** The gradient reaches the student: dL/ds = ((1−α)(softmax(s) − y) + α·T·(softmax(s/T) − softmax(t/T))) / B. */
    @ParameterizedTest(name = "T={0} alpha={1}")
    @CsvSource({"4.0, 0.9", "1.0, 0.5", "3.0, 1.0", "2.0, 0.0"})
    void gradientWithRespectToTheStudentLogits(double temp, double alpha) {
        try (NDManager m = NDManager.newBaseManager();
             ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray s = array(m, S);
            s.setRequiresGradient(true);
            NDArray loss = KdLoss.loss(s, oneHot(m, Y, 4), array(m, T), temp, alpha);
            gc.backward(loss);
            float[] grad = s.getGradient().toFloatArray();
            for (int i = 0; i < S.length; i++) {
                double[] p = softmax(S[i], 1);
                double[] ps = softmax(S[i], temp);
                double[] pt = softmax(T[i], temp);
                for (int k = 0; k < 4; k++) {
                    double expected = ((1 - alpha) * (p[k] - (Y[i] == k ? 1 : 0)) + alpha * temp * (ps[k] - pt[k])) / S.length;
                    assertThat(grad[i * 4 + k]).as("d/ds[%d][%d]", i, k).isCloseTo((float) expected, org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    /**
     * A garbage collection between forward and backward must not change the gradient. Autograd keeps
     * the loss's scalar operands (1/T, α·T², 1 − α) for backward; a scalar that DJL makes from a Java
     * number lives in a Java direct buffer that is freed once the collector finds it unreachable, and
     * backward then reads whatever took its memory (in training: a gradient off by a few percent, or
     * one that blows the network up). Here many losses wait for backward while the collector runs
     * until the direct buffers it can free are freed, and the test fills new small direct buffers
     * with NaN, so that freed memory comes back holding NaN.
     */
    @Test
    void gradientIsTheSameWhenTheCollectorRunsBeforeBackward() {
        int losses = 64;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] expected;
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray s = array(m, S);
                s.setRequiresGradient(true);
                gc.backward(KdLoss.loss(s, oneHot(m, Y, 4), array(m, T), 4.0, 0.9));
                expected = s.getGradient().toFloatArray();
            }
            java.util.List<NDArray> students = new java.util.ArrayList<>();
            java.util.List<NDArray> pending = new java.util.ArrayList<>();
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
                for (int i = 0; i < losses; i++) {
                    NDArray s = array(m, S);
                    s.setRequiresGradient(true);
                    students.add(s);
                    pending.add(KdLoss.loss(s, oneHot(m, Y, 4), array(m, T), 4.0, 0.9));
                }
                collectUntilDirectBuffersStopBeingFreed();
                java.util.List<java.nio.ByteBuffer> nan = new java.util.ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    nan.add(java.nio.ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder()).putFloat(0, Float.NaN)
                            .putFloat(4, Float.NaN));
                }
                for (int i = 0; i < losses; i++) {
                    gc.backward(pending.get(i));
                    assertThat(students.get(i).getGradient().toFloatArray()).as("gradient of loss %d", i).containsExactly(expected);
                }
                assertThat(nan).hasSize(20_000);
            }
        }
    }

    /** Runs the collector until a round frees no direct buffer (the JDK frees them right after a collection finds them). */
    private static void collectUntilDirectBuffersStopBeingFreed() {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long before;
        int rounds = 0;
        do {
            before = direct.getCount();
            System.gc();
            rounds++;
        } while (direct.getCount() < before && rounds < 50);
    }

    static double[] softmax(float[] v, double temp) {
        double[] l = logSoftmax(v, temp);
        for (int k = 0; k < l.length; k++) {
            l[k] = Math.exp(l[k]);
        }
        return l;
    }

    static double relErr(double got, double expected) {
        return Math.abs(got - expected) / Math.abs(expected);
    }
}
