package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobModel;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test fixtures: the committed Fashion-MNIST sample, the real Fashion-MNIST files, and StageJobs. */
public final class TestData {

    /** Debian's dataset-fashion-mnist (the project's setup installs it). */
    public static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    /** Images in the sample's training and test splits (src/test/resources/fashion-mnist-sample/generate.sh). */
    public static final int SAMPLE_TRAIN = 800;
    public static final int SAMPLE_TEST = 300;

    private TestData() {}

    /**
     * The first {@value #SAMPLE_TRAIN} training and {@value #SAMPLE_TEST} test images of Fashion-MNIST,
     * as the IDX files the full dataset comes in: committed with the tests, so they need no package.
     */
    public static Path sample() {
        try {
            return Path.of(TestData.class.getResource("/fashion-mnist-sample").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The real Fashion-MNIST, for the tests that need all of it (reading the whole set, an accuracy
     * worth the name). Fails, never skips, when it is missing: a green build must have run them.
     */
    public static Path fashion() {
        assertThat(FASHION.resolve("train-images-idx3-ubyte.gz"))
                .as("Fashion-MNIST at %s (scripts/ensure-fashion-mnist.sh installs Debian's dataset-fashion-mnist)", FASHION)
                .isRegularFile();
        return FASHION;
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

    public static StageJobModel model(Architecture a, int depth) {
        return new StageJobModel(a, depth, null);
    }

    /** A job on an IDX folder, training with {@code t}. */
    public static StageJob job(String stage, Path data, Path out, StageJobModel model, TrainingSpec t, Path teacher, Integer max) {
        return new StageJob(StageJob.API_VERSION, "test", stage, "sha256:" + stage + "-" + t.getEpochs() + "-" + t.getSeed(), model,
                StageJobTraining.of(t),
                new StageJob.DatasetLocation(null, "idx", data.toString()), teacher == null ? null : teacher.toString(), null,
                out.toString(), max);
    }

    public static StageJob withFingerprint(StageJob j, String fp) {
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), fp, j.model(), j.training(), j.dataset(), j.teacherDir(),
                j.pretrainedDir(), j.outputDir(), j.maxTrainSamples(), j.validation());
    }

    /** {@code j} holding out {@code size} training images drawn with {@code seed}. */
    public static StageJob withValidation(StageJob j, int size, long seed) {
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(), j.dataset(), j.teacherDir(),
                j.pretrainedDir(), j.outputDir(), j.maxTrainSamples(), new StageJob.Validation(size, seed));
    }

    public static StageJob withOutput(StageJob j, Path out) {
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(), j.dataset(), j.teacherDir(),
                j.pretrainedDir(), out.toString(), j.maxTrainSamples(), j.validation());
    }
}
