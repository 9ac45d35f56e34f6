package dev.distillation.trainer.data;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.BuiltinDataset;
import dev.distillation.api.v1alpha1.DatasetFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds and reads the dataset a StageJob names. */
public final class Datasets {

    /** Environment variable naming a folder that holds builtin datasets (one subfolder each). */
    public static final String DATA_ENV = "DISTILL_DATA";
    /** Where Debian's dataset packages (dataset-fashion-mnist) install. */
    public static final Path SYSTEM_DATA = Path.of("/usr/share/datasets");

    private Datasets() {}

    public static Dataset load(StageJob.DatasetLocation location) throws DatasetException {
        return load(location, System.getenv());
    }

    static Dataset load(StageJob.DatasetLocation location, Map<String, String> env) throws DatasetException {
        DatasetFormat format = DatasetFormat.fromValue(location.format());
        if (location.builtin() != null) {
            BuiltinDataset builtin = BuiltinDataset.fromValue(location.builtin());
            Path dir = resolveBuiltin(builtin, env);
            return read(format, dir, builtin.value());
        }
        Path dir = Path.of(location.path());
        return read(format, dir, dir.getFileName() == null ? dir.toString() : dir.getFileName().toString());
    }

    /** {@code $DISTILL_DATA/<name>} when it exists, else {@code /usr/share/datasets/<name>}. */
    public static Path resolveBuiltin(BuiltinDataset builtin, Map<String, String> env) throws DatasetException {
        List<Path> candidates = new ArrayList<>();
        String data = env.get(DATA_ENV);
        if (data != null && !data.isBlank()) {
            candidates.add(Path.of(data).resolve(builtin.value()));
        }
        candidates.add(SYSTEM_DATA.resolve(builtin.value()));
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new DatasetException("builtin dataset " + builtin + " not found: looked in " + candidates
                + (builtin == BuiltinDataset.FASHION_MNIST ? " (install Debian's dataset-fashion-mnist package, or set " + DATA_ENV
                + " to a folder holding fashion-mnist/)" : ""));
    }

    public static Dataset read(DatasetFormat format, Path dir, String name) throws DatasetException {
        return switch (format) {
            case IDX -> IdxReader.read(dir, name);
            case CIFAR10 -> CifarReader.readCifar10(dir, name);
            case CIFAR100 -> CifarReader.readCifar100(dir, name);
            case IMAGE_FOLDER -> ImageFolderReader.read(dir, name);
        };
    }
}
