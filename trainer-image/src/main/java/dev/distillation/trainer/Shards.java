package dev.distillation.trainer;

/**
 * How a batch is cut into contiguous shards along its first axis, one per device, for data-parallel
 * training: as many shards as there are devices, except that every shard keeps at least two images
 * (BatchNorm cannot normalise a single example), and shard sizes differ by at most one, the larger
 * ones first (as {@code torch.chunk} would cut, but never leaving a device empty or with one image).
 */
final class Shards {

    private Shards() {}

    /**
     * The sizes of the shards of a batch of {@code batch} images over {@code devices} devices; they sum
     * to {@code batch}. A batch too small for two shards of two stays whole (one shard).
     */
    static int[] sizes(int batch, int devices) {
        if (batch < 1 || devices < 1) {
            throw new IllegalArgumentException("a batch of " + batch + " image(s) over " + devices + " device(s)");
        }
        int count = Math.max(1, Math.min(devices, batch / 2));
        int[] sizes = new int[count];
        int base = batch / count;
        int larger = batch % count;
        for (int i = 0; i < count; i++) {
            sizes[i] = base + (i < larger ? 1 : 0);
        }
        return sizes;
    }
}
