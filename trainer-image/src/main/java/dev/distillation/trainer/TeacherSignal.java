package dev.distillation.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.trainer.data.ImageSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The teacher's side of the distillation loss: its logits for each training batch. Without
 * augmentation they are computed once for the whole training set before the first epoch and reused
 * every epoch; with augmentation (each epoch sees other images) the teacher runs on every batch. A
 * stage without a teacher, or with α = 0, has no signal (the teacher is not even loaded).
 */
final class TeacherSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherSignal.class);

    /** Where the teacher's logits come from; {@link #value()} is what metrics.json records as {@code teacherLogits}. */
    enum Mode {
        NONE("none"), CACHED("cached"), PER_BATCH("per-batch");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        String value() {
            return value;
        }
    }

    private final Mode mode;
    private final ModelFiles.Loaded teacher;
    private TeacherInput perBatch;
    private float[] cached;
    private int classes;

    private TeacherSignal(Mode mode, ModelFiles.Loaded teacher) {
        this.mode = mode;
        this.teacher = teacher;
    }

    /** Loads and freezes the job's teacher when its soft targets carry weight; checks it fits the data. */
    static TeacherSignal open(RunContext ctx) throws TrainerException {
        StageJob job = ctx.job();
        StageJobTraining t = job.training();
        if (job.teacherDir() == null) {
            return new TeacherSignal(Mode.NONE, null);
        }
        if (t.getAlpha() == 0) {
            LOG.info("alpha = 0: the teacher's soft targets carry no weight; training from labels alone");
            return new TeacherSignal(Mode.NONE, null);
        }
        Path dir = Path.of(job.teacherDir());
        ModelFiles.Loaded loaded = ModelFiles.load(dir, ctx.device(), "teacher");
        try {
            verify(StageFolder.of(dir));
            ModelFiles.checkFits(loaded.info(), ctx.data(), dir, "teacher");
        } catch (TrainerException e) {
            loaded.model().close();
            throw e;
        }
        loaded.block().freezeParameters(true);
        // -Ddistill.kd.noCache=true forces a teacher pass per batch without augmentation (for benchmarks)
        boolean perBatch = t.getAugment() || Boolean.getBoolean("distill.kd.noCache");
        return new TeacherSignal(perBatch ? Mode.PER_BATCH : Mode.CACHED, loaded);
    }

    /** A teacher is trusted only while its files match the checksums it wrote when it completed. */
    private static void verify(StageFolder teacher) throws TrainerException {
        Optional<String> problem;
        try {
            problem = teacher.verify();
        } catch (IOException e) {
            throw TrainerException.badInput("teacher folder " + teacher.dir() + " cannot be read: " + ModelFiles.firstLine(e.getMessage()), e);
        }
        if (problem.isPresent()) {
            throw TrainerException.badInput("teacher checkpoint " + problem.get() + "; a student learns only from a teacher stage's "
                    + "result as it completed: train the teacher stage again (delete its volume or folder)");
        }
    }

    Mode mode() {
        return mode;
    }

    /**
     * Makes the signal ready for training: the teacher's input renormalisation, and for {@link Mode#CACHED}
     * the logits of every training image (bad input when any is not finite). Not needed when no epoch is left.
     */
    void prepare(RunContext ctx) throws TrainerException {
        if (mode == Mode.NONE) {
            return;
        }
        perBatch = new TeacherInput(teacher, ctx.data().normalization());
        if (mode == Mode.CACHED) {
            ImageSet train = ctx.data().train();
            classes = ctx.classes();
            long t0 = System.nanoTime();
            Batches teacherBatches = new Batches(train, teacher.info().normalizationValue(), classes,
                    MemoryLayout.channelsLast(ctx.device(), teacher.info()));
            cached = Evaluator.logitsOf(teacher.block(), teacherBatches, train.size(), classes, ctx.device());
            LOG.info("Cached the teacher's logits for {} training images in {} s", train.size(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
            int bad = Divergence.firstNonFinite(cached);
            if (bad >= 0) {
                throw Divergence.unusableTeacher(ctx.job(), "training image " + bad / classes);
            }
        }
    }

    /**
     * The teacher's logits for the training images {@code order[from..to)}, whose (student-normalised)
     * batch is {@code x}, as arrays of {@code step}; null without a teacher.
     */
    NDArray logits(NDManager step, Batches batches, NDArray x, int[] order, int from, int to) {
        return switch (mode) {
            case NONE -> null;
            case CACHED -> batches.rows(step, cached, classes, order, from, to);
            case PER_BATCH -> perBatch.logits(x);
        };
    }

    @Override
    public void close() {
        if (teacher != null) {
            teacher.model().close();
        }
    }
}
