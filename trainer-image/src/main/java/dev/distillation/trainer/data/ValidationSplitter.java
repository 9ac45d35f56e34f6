package dev.distillation.trainer.data;

import dev.distillation.api.v1alpha1.Bounds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which training images a validation split holds out. A pure function of the training set's size, the
 * split's size and its seed: every stage of a chain, on a cluster or locally, holds out the same images,
 * so stages are compared on the same validation images. The held-out images are the first {@code size}
 * of a seeded Fisher-Yates shuffle; both index lists come back in ascending order, so the images left
 * to train on keep the order of the files.
 */
public final class ValidationSplitter {

    /** Indices into the training set: those to train on and those held out, each ascending. */
    public record Split(int[] train, int[] validation) {}

    private ValidationSplitter() {}

    /**
     * @param n    training images in the dataset
     * @param size images to hold out
     * @param seed seed of the draw
     * @param name the dataset's name, for the error message
     * @throws DatasetException when fewer than {@link Bounds#TRAIN_SAMPLES_MIN} images would be left to train on
     */
    public static Split split(int n, int size, long seed, String name) throws DatasetException {
        if (size < 1) {
            throw new DatasetException("validation.size must be at least 1, got " + size);
        }
        if (n - size < Bounds.TRAIN_SAMPLES_MIN) {
            throw new DatasetException("validation.size " + size + " leaves " + Math.max(0, n - size) + " of the "
                    + n + " training images of dataset " + name + " to train on; at most " + (n - Bounds.TRAIN_SAMPLES_MIN)
                    + " can be held out");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        // a partial Fisher-Yates shuffle: the first `size` positions are a uniform draw without replacement
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] validation = Arrays.copyOfRange(order, 0, size);
        Arrays.sort(validation);
        int[] train = new int[n - size];
        int t = 0;
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (v < size && validation[v] == i) {
                v++;
            } else {
                train[t++] = i;
            }
        }
        return new Split(train, validation);
    }
}
