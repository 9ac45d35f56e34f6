package dev.distillation.trainer.data;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * CIFAR-10 and CIFAR-100 in the standard binary format. CIFAR-10 ({@code cifar-10-batches-bin}):
 * {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin}, records of one
 * label byte and 3072 pixel bytes (1024 red, 1024 green, 1024 blue). CIFAR-100
 * ({@code cifar-100-binary}): {@code train.bin} and {@code test.bin}, records of a coarse label byte,
 * a fine label byte and 3072 pixel bytes; the 100 fine labels are used. The path may be the folder
 * holding the files or its parent.
 */
public final class CifarReader {

    static final int PIXELS = 3 * 32 * 32;

    private CifarReader() {}

    public static Dataset readCifar10(Path path, String name) throws DatasetException {
        Path dir = locate(path, "cifar-10-batches-bin", "data_batch_1.bin");
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            trainFiles.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        ImageSet train = read(trainFiles, 1, 10);
        ImageSet test = read(List.of(dir.resolve("test_batch.bin")), 1, 10);
        return new Dataset(name, "cifar10", train, test, 10, Normalization.of(train), classNames(10));
    }

    public static Dataset readCifar100(Path path, String name) throws DatasetException {
        Path dir = locate(path, "cifar-100-binary", "train.bin");
        ImageSet train = read(List.of(dir.resolve("train.bin")), 2, 100);
        ImageSet test = read(List.of(dir.resolve("test.bin")), 2, 100);
        return new Dataset(name, "cifar100", train, test, 100, Normalization.of(train), classNames(100));
    }

    /** One CIFAR binary file: CIFAR-100's records ({@code cifar100}: coarse and fine label, the fine one used) or CIFAR-10's. */
    public static ImageSet readFile(Path file, boolean cifar100) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("CIFAR file " + file + " does not exist");
        }
        return cifar100 ? read(List.of(file), 2, 100) : read(List.of(file), 1, 10);
    }

    private static List<String> classNames(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }

    private static Path locate(Path path, String subfolder, String marker) throws DatasetException {
        if (!Files.isDirectory(path)) {
            throw new DatasetException("dataset folder " + path + " does not exist");
        }
        if (Files.isRegularFile(path.resolve(marker))) {
            return path;
        }
        if (Files.isRegularFile(path.resolve(subfolder).resolve(marker))) {
            return path.resolve(subfolder);
        }
        throw new DatasetException("dataset file " + path.resolve(marker) + " does not exist; expected the "
                + subfolder + " files in " + path + " or in " + path.resolve(subfolder));
    }

    /** Reads records of {@code labelBytes} label bytes (the last one is used) and 3072 pixels. */
    static ImageSet read(List<Path> files, int labelBytes, int classes) throws DatasetException {
        int record = labelBytes + PIXELS;
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        for (Path file : files) {
            byte[] data = DataFiles.readAll(file);
            if (data.length == 0 || data.length % record != 0) {
                throw new DatasetException("dataset file " + file + " has " + data.length + " bytes; expected a whole number of "
                        + record + "-byte records (" + labelBytes + " label byte" + (labelBytes > 1 ? "s" : "") + " + 3072 pixels)");
            }
            int n = data.length / record;
            for (int i = 0; i < n; i++) {
                int label = data[i * record + labelBytes - 1] & 0xff;
                if (label >= classes) {
                    throw new DatasetException("dataset file " + file + " record " + i + " has label " + label
                            + "; expected 0.." + (classes - 1) + " (is this the right format?)");
                }
                labels.add(label);
                pixels.write(data, i * record + labelBytes, PIXELS);
            }
        }
        return new ImageSet(3, 32, 32, pixels.toByteArray(), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
