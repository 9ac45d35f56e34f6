package dev.distillation.trainer.data;

import java.util.Arrays;

/**
 * One split of an image dataset held in memory as raw 8-bit pixels, channel-major
 * ({@code N × C × H × W}), with integer labels. Normalisation and augmentation happen when a batch
 * is assembled, so a split costs one byte per pixel.
 */
public final class ImageSet {

    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;

    public ImageSet(int channels, int height, int width, byte[] pixels, int[] labels) {
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected "
                    + labels.length + "×" + channels + "×" + height + "×" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    public int size() { return labels.length; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int imageBytes() { return channels * height * width; }
    /** The raw pixels; shared, not copied. */
    public byte[] pixels() { return pixels; }
    /** The labels; shared, not copied. */
    public int[] labels() { return labels; }
    public int label(int i) { return labels[i]; }

    /** The first {@code n} images (this set when it has no more than {@code n}). */
    public ImageSet first(int n) {
        if (n >= size()) {
            return this;
        }
        return new ImageSet(channels, height, width, Arrays.copyOf(pixels, n * imageBytes()), Arrays.copyOf(labels, n));
    }

    /** The images at {@code indices}, in that order (copied). */
    public ImageSet select(int[] indices) {
        int bytes = imageBytes();
        byte[] px = new byte[indices.length * bytes];
        int[] ls = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * bytes, px, k * bytes, bytes);
            ls[k] = labels[indices[k]];
        }
        return new ImageSet(channels, height, width, px, ls);
    }

    /** One more than the largest label. */
    public int maxLabelPlusOne() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }
}
