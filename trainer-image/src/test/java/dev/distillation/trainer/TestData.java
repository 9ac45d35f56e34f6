package dev.distillation.trainer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Test fixtures: the real Fashion-MNIST files, subsets of them, and StageJobs. */
public final class TestData {

    /** Debian's dataset-fashion-mnist (the project's setup installs it). */
    public static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private TestData() {}

    public static Path fashion() {
        assumeTrue(Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed at " + FASHION + " (apt-get install dataset-fashion-mnist)");
        return FASHION;
    }

    /** Writes IDX files (gzip) holding the first {@code train} and {@code test} Fashion-MNIST images into {@code dir}. */
    public static Path fashionSubset(Path dir, int train, int test) throws IOException {
        Path src = fashion();
        Files.createDirectories(dir);
        copyIdx(src.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-images-idx3-ubyte.gz"), train, 784, 16);
        copyIdx(src.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), train, 1, 8);
        copyIdx(src.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-images-idx3-ubyte.gz"), test, 784, 16);
        copyIdx(src.resolve("t10k-labels-idx1-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"), test, 1, 8);
        return dir;
    }

    private static void copyIdx(Path from, Path to, int n, int itemBytes, int header) throws IOException {
        byte[] all;
        try (var in = new GZIPInputStream(Files.newInputStream(from))) {
            all = in.readAllBytes();
        }
        byte[] head = java.util.Arrays.copyOf(all, header);
        head[4] = (byte) (n >>> 24);
        head[5] = (byte) (n >>> 16);
        head[6] = (byte) (n >>> 8);
        head[7] = (byte) n;
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            out.write(head);
            out.write(all, header, n * itemBytes);
        }
    }

    /** IDX bytes: images (n × rows × cols) or, with rows = 0, labels. */
    public static byte[] idx(int magic, int n, int rows, int cols, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        out.writeInt(n);
        if (rows > 0) {
            out.writeInt(rows);
            out.writeInt(cols);
        }
        out.write(data);
        return bos.toByteArray();
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    public static TrainingSpec training(int epochs) {
        TrainingSpec t = TrainingSpec.DEFAULTS.copy();
        t.setEpochs(epochs);
        t.setLearningRate(0.05);
        t.setLrSchedule(dev.distillation.api.v1alpha1.LearningRateSchedule.CONSTANT);
        return t;
    }

    public static ModelSpec model(Architecture a, int depth) {
        ModelSpec m = new ModelSpec();
        m.setArchitecture(a);
        m.setDepth(depth);
        return m;
    }

    /** A job on an IDX folder. */
    public static StageJob job(String stage, Path data, Path out, ModelSpec model, TrainingSpec t, Path teacher, Integer max) {
        return new StageJob(StageJob.API_VERSION, "test", stage, "sha256:" + stage + "-" + t.getEpochs() + "-" + t.getSeed(), model, t,
                new StageJob.DatasetLocation(null, "idx", data.toString()), teacher == null ? null : teacher.toString(), null,
                out.toString(), max);
    }

    public static StageJob withFingerprint(StageJob j, String fp) {
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), fp, j.model(), j.training(), j.dataset(), j.teacherDir(),
                j.pretrainedDir(), j.outputDir(), j.maxTrainSamples());
    }

    public static StageJob withOutput(StageJob j, Path out) {
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(), j.dataset(), j.teacherDir(),
                j.pretrainedDir(), out.toString(), j.maxTrainSamples());
    }
}
