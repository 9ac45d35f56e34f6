package dev.distillation.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * MNIST-style IDX files (MNIST, Fashion-MNIST, KMNIST...): {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
 * each optionally gzip-compressed ({@code .gz}); the {@code train-images.idx3-ubyte} spelling is
 * accepted too.
 */
public final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    public static Dataset read(Path dir, String name) throws DatasetException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("dataset folder " + dir + " does not exist; expected IDX files "
                    + "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...) in it");
        }
        ImageSet train = readSplit(dir, "train");
        ImageSet test = readSplit(dir, "t10k");
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DatasetException("IDX files in " + dir + ": train images are " + train.height() + "×" + train.width()
                    + " but test images are " + test.height() + "×" + test.width());
        }
        int classes = Math.max(train.maxLabelPlusOne(), test.maxLabelPlusOne());
        return new Dataset(name, "idx", train, test, classes, Normalization.of(train),
                IntStream.range(0, classes).mapToObj(Integer::toString).toList());
    }

    static ImageSet readSplit(Path dir, String prefix) throws DatasetException {
        return readFiles(find(dir, prefix + "-images", "idx3-ubyte"), find(dir, prefix + "-labels", "idx1-ubyte"));
    }

    /** An IDX image file (gzipped or not) and its labels; without a labels file every label is 0. */
    public static ImageSet readFiles(Path imagesFile, Path labelsFile) throws DatasetException {
        for (Path p : new Path[] {imagesFile, labelsFile}) {
            if (p != null && !Files.isRegularFile(p)) {
                throw new DatasetException("IDX file " + p + " does not exist");
            }
        }
        byte[] images = DataFiles.readAll(imagesFile);
        if (images.length < 16 || DataFiles.int32(images, 0) != IMAGES_MAGIC) {
            throw new DatasetException("dataset file " + imagesFile + " is not an IDX image file: expected magic number 0x00000803 "
                    + "(unsigned bytes, 3 dimensions)" + (images.length >= 4 ? String.format(", found 0x%08x", DataFiles.int32(images, 0)) : ", file too short"));
        }
        if (labelsFile == null) {
            return imagesOnly(imagesFile, images);
        }
        byte[] labels = DataFiles.readAll(labelsFile);
        if (labels.length < 8 || DataFiles.int32(labels, 0) != LABELS_MAGIC) {
            throw new DatasetException("dataset file " + labelsFile + " is not an IDX label file: expected magic number 0x00000801 "
                    + "(unsigned bytes, 1 dimension)" + (labels.length >= 4 ? String.format(", found 0x%08x", DataFiles.int32(labels, 0)) : ", file too short"));
        }
        int n = DataFiles.int32(images, 4);
        int rows = DataFiles.int32(images, 8);
        int cols = DataFiles.int32(images, 12);
        if (n <= 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096) {
            throw new DatasetException("dataset file " + imagesFile + " has a bad header: " + n + " images of " + rows + "×" + cols);
        }
        long expected = 16L + (long) n * rows * cols;
        if (images.length != expected) {
            throw new DatasetException("dataset file " + imagesFile + " is " + (images.length < expected ? "truncated" : "too long")
                    + ": its header says " + n + " images of " + rows + "×" + cols + " (" + expected + " bytes), the file has " + images.length);
        }
        int nl = DataFiles.int32(labels, 4);
        if (nl != n) {
            throw new DatasetException("dataset file " + labelsFile + " holds " + nl + " labels but " + imagesFile + " holds " + n + " images");
        }
        if (labels.length != 8L + n) {
            throw new DatasetException("dataset file " + labelsFile + " is " + (labels.length < 8L + n ? "truncated" : "too long")
                    + ": expected " + (8L + n) + " bytes, the file has " + labels.length);
        }
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = labels[8 + i] & 0xff;
        }
        byte[] px = java.util.Arrays.copyOfRange(images, 16, images.length);
        return new ImageSet(1, rows, cols, px, lab);
    }

    /** The images of a file whose magic number was checked, every label 0. */
    private static ImageSet imagesOnly(Path imagesFile, byte[] images) throws DatasetException {
        int n = DataFiles.int32(images, 4);
        int rows = DataFiles.int32(images, 8);
        int cols = DataFiles.int32(images, 12);
        if (n <= 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096 || images.length != 16L + (long) n * rows * cols) {
            throw new DatasetException("IDX file " + imagesFile + " has a bad header or size: " + n + " images of " + rows + "×" + cols
                    + " in " + images.length + " bytes");
        }
        return new ImageSet(1, rows, cols, java.util.Arrays.copyOfRange(images, 16, images.length), new int[n]);
    }

    private static Path find(Path dir, String stem, String kind) throws DatasetException {
        List<String> names = List.of(stem + "-" + kind, stem + "-" + kind + ".gz", stem + "." + kind, stem + "." + kind + ".gz");
        for (String name : names) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException("dataset file " + dir.resolve(names.get(1)) + " does not exist; expected one of "
                + String.join(", ", names) + " in " + dir);
    }
}
