package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.distillation.trainer.data.ImageSet;

/**
 * A network's logits for a whole image set (inference mode: BatchNorm uses its running statistics),
 * and from them its mean cross-entropy and accuracy on the test split.
 */
final class Evaluator {

    /** Images per forward pass. */
    static final int BATCH = 500;

    /**
     * Mean cross-entropy and accuracy (0..1) over an image set, and how its predictions spread:
     * the class predicted most often and the share (0..1) of the images predicted as that class.
     */
    record Evaluation(double loss, double accuracy, int topClass, double topClassShare) {}

    private Evaluator() {}

    static Evaluation evaluate(Block block, Batches batches, ImageSet set, int classes, Device device) {
        float[] all = logitsOf(block, batches, set.size(), classes, device);
        double loss = 0;
        long correct = 0;
        long[] predicted = new long[classes];
        for (int i = 0; i < set.size(); i++) {
            int label = set.label(i);
            loss += crossEntropy(all, i * classes, classes, label);
            int guess = argmax(all, i * classes, classes);
            predicted[guess]++;
            if (guess == label) {
                correct++;
            }
        }
        int top = 0;
        for (int c = 1; c < classes; c++) {
            if (predicted[c] > predicted[top]) {
                top = c;
            }
        }
        return new Evaluation(loss / set.size(), (double) correct / set.size(), top, (double) predicted[top] / set.size());
    }

    /** The network's logits for every image of a set, in order, as a row-major (N, K) table. */
    static float[] logitsOf(Block block, Batches batches, int n, int classes, Device device) {
        float[] all = new float[n * classes];
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = batches.images(step, identity, from, to, null);
                    float[] logits = Forward.run(block, store, x, false).toFloatArray();
                    System.arraycopy(logits, 0, all, from * classes, logits.length);
                }
            }
        }
        return all;
    }

    /**
     * −log softmax(row)[label] of the row of {@code classes} logits at {@code off}, in double precision:
     * log Σ exp(z − max) + max − z_label (subtracting the largest logit keeps exp from overflowing).
     */
    static double crossEntropy(float[] logits, int off, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, logits[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(logits[off + j] - max);
        }
        return (max + Math.log(sum)) - logits[off + label];
    }

    /** The index of the largest of the {@code k} values at {@code off} (the first one on a tie). */
    static int argmax(float[] v, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
