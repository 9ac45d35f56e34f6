package dev.distillation.trainer.data;

import java.util.Arrays;

/**
 * Per-channel normalisation {@code x' = (pixel/255 - mean[c]) / std[c]}.
 */
public record Normalization(double[] mean, double[] std) {

    public Normalization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std have different lengths");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + Arrays.toString(std));
            }
        }
    }

    /**
     * The mean and standard deviation of every channel over a set's pixels (a constant image gets
     * std 1 so nothing divides by zero).
     */
    public static Normalization of(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        byte[] px = set.pixels();
        int n = set.size();
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long s2 = 0;
                int off = base + ch * plane;
                for (int k = 0; k < plane; k++) {
                    int v = px[off + k] & 0xff;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        double count = (double) n * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            double var = sumSq[ch] / count - m * m;
            mean[ch] = m / 255.0;
            double sd = Math.sqrt(Math.max(var, 0)) / 255.0;
            std[ch] = sd > 1e-6 ? sd : 1.0;
        }
        return new Normalization(mean, std);
    }

    /** Same values within {@code tol}. */
    public boolean closeTo(Normalization o, double tol) {
        if (o == null || o.mean.length != mean.length) {
            return false;
        }
        for (int i = 0; i < mean.length; i++) {
            if (Math.abs(mean[i] - o.mean[i]) > tol || Math.abs(std[i] - o.std[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std);
    }
}
