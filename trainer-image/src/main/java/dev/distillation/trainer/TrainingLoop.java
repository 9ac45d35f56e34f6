package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.trainer.data.ImageSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One epoch of a stage's training: the epoch's data order (and augmentation) from the stage's seed,
 * then for each batch a forward pass in training mode, the loss against the labels and the teacher's
 * signal, backward ({@link DataParallel}: on one device the batch whole, on several split across them),
 * a finiteness check and the parameter update. Each step's arrays live in their own
 * sub-manager, closed after the update (the KD loss's scalars with them: see {@link KdLoss#scalar}).
 */
final class TrainingLoop {

    private final RunContext ctx;
    private final Block block;
    private final ParameterUpdater updater;
    private final Batches batches;
    private final TeacherSignal teacher;
    private final int batchSize;
    private final DataParallel parallel;

    /** Trains on {@code devices} (the first is the student's): data parallel when there are several. */
    TrainingLoop(RunContext ctx, Model student, List<Device> devices, ParameterUpdater updater, Batches batches, TeacherSignal teacher) {
        this.ctx = ctx;
        this.block = student.getBlock();
        this.parallel = new DataParallel(block, new ParameterStore(student.getNDManager(), false), student.getNDManager(), devices);
        this.updater = updater;
        this.batches = batches;
        this.teacher = teacher;
        this.batchSize = batchSize(ctx.training(), ctx.data().train());
    }

    /** The job's batch size, or the whole training set when that is smaller. */
    static int batchSize(StageJobTraining t, ImageSet train) {
        return Math.min(t.getBatchSize(), train.size());
    }

    static long batchesPerEpoch(int n, int batchSize) {
        long full = n / batchSize;
        int rest = n % batchSize;
        // a last batch of one image is dropped: BatchNorm cannot normalise a single example
        return full + (rest >= 2 ? 1 : 0);
    }

    long batchesPerEpoch() {
        return batchesPerEpoch(ctx.data().train().size(), batchSize);
    }

    /**
     * Trains 1-based {@code epoch} at the rates {@link LearningRates#forStep} gives (warmup included),
     * clipping each step's gradient to {@code gradientClipNorm}; the result's learning rate is the
     * epoch's scheduled one, its test loss and accuracy are NaN (not evaluated).
     */
    EpochResult run(int epoch) throws TrainerException {
        double lr = LearningRates.forEpoch(ctx.training(), epoch);
        StageJobTraining t = ctx.training();
        ImageSet train = ctx.data().train();
        int n = train.size();
        SplittableRandom random = new SplittableRandom(t.getSeed() * 0x9E3779B97F4A7C15L + epoch);
        int[] order = permutation(n, random);
        SplittableRandom augment = t.getAugment() ? random.split() : null;
        long steps = batchesPerEpoch(n, batchSize);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        long start = System.nanoTime();
        try (NDManager epochManager = NDManager.newBaseManager(ctx.device())) {
            for (long s = 0; s < steps; s++) {
                int from = (int) (s * batchSize);
                int to = Math.min(n, from + batchSize);
                double stepLr = LearningRates.forStep(t, epoch, s + 1, steps);
                try (NDManager step = epochManager.newSubManager()) {
                    NDArray x = batches.images(step, order, from, to, augment);
                    NDArray y = batches.oneHot(step, order, from, to);
                    // the frozen teacher runs before, and outside, the gradient collector
                    NDArray teacherLogits = teacher.logits(step, batches, x, order, from, to);
                    DataParallel.Pass pass = parallel.forwardBackward(x, y, teacherLogits, t.getTemperature(), t.getAlpha());
                    if (!Double.isFinite(pass.loss())) {
                        throw Divergence.ofStep(ctx.job(), block, pass.loss(), new Divergence.Step(epoch, s + 1, steps, stepLr), x,
                                pass.logitsOn(ctx.device()), teacherLogits);
                    }
                    updater.clipGradients(t.getGradientClipNorm());
                    updater.step(stepLr);
                    parallel.refresh();
                    lossSum += pass.loss() * (to - from);
                    for (DataParallel.Shard shard : pass.shards()) {
                        int first = from + shard.offset();
                        correct += countCorrect(shard.logits().toFloatArray(), train, order, first, first + shard.size());
                    }
                    seen += to - from;
                }
                ctx.events().onBatch(epoch, s + 1, steps, seen);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochResult(epoch, lossSum / seen, (double) correct / seen, Double.NaN, Double.NaN, lr, seconds, seen / seconds);
    }

    private long countCorrect(float[] logits, ImageSet set, int[] order, int from, int to) {
        int classes = ctx.classes();
        long correct = 0;
        for (int i = 0; i < to - from; i++) {
            if (Evaluator.argmax(logits, i * classes, classes) == set.label(order[from + i])) {
                correct++;
            }
        }
        return correct;
    }

    /** A random order of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
