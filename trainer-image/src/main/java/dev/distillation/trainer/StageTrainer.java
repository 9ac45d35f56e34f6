package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.distillation.api.job.InvalidStageJobException;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobCodec;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.data.Datasets;
import dev.distillation.trainer.data.ImageSet;
import dev.distillation.trainer.data.Normalization;
import dev.distillation.trainer.model.Models;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains (or, for a pretrained stage, loads and evaluates) the network of one stage, as a
 * {@link StageJob} describes it, and writes its results to the job's output folder:
 * {@code model.params}, {@code model.json}, {@code metrics.json}, per-epoch checkpoints under
 * {@code checkpoints/}, and last {@code fingerprint} (the job's fingerprint: the stage is complete
 * and its outputs reusable when that file holds the fingerprint). Running a job whose output folder
 * already holds its fingerprint returns the recorded metrics without training; an output folder
 * holding checkpoints of the same fingerprint resumes after the newest good one.
 *
 * <p>One instance may run several jobs one after the other, on one thread at a time.
 */
public final class StageTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(StageTrainer.class);
    /** Name of the file written last, holding the job's fingerprint. */
    public static final String FINGERPRINT_FILE = "fingerprint";
    public static final String METRICS_FILE = "metrics.json";
    static final int EVAL_BATCH = 500;

    private final TrainerOptions options;

    public StageTrainer(TrainerOptions options) {
        this.options = options == null ? TrainerOptions.defaults() : options;
    }

    public StageMetrics run(StageJob job, TrainingListener listener) throws TrainerException {
        TrainingListener events = listener == null ? TrainingListener.NONE : listener;
        try {
            StageJobCodec.validate(job);
        } catch (InvalidStageJobException e) {
            throw TrainerException.badInput(e.getMessage(), e);
        }
        Path out = Path.of(job.outputDir());
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot create output folder " + out + ": " + e, e);
        }
        StageMetrics done = completedMetrics(out, job.fingerprint());
        if (done != null) {
            LOG.info("Stage {}/{} already complete in {} (fingerprint matches); reusing its results", job.chain(), job.stage(), out);
            writeTermination(done);
            events.onFinish(done);
            return done;
        }
        try {
            Files.deleteIfExists(out.resolve(FINGERPRINT_FILE));
        } catch (IOException e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot remove stale " + out.resolve(FINGERPRINT_FILE) + ": " + e, e);
        }
        int threads = options.effectiveThreads();
        Engine engine = Engines.pytorch(threads);
        Device device = resolveDevice(engine);
        engine.setRandomSeed((int) (job.training().getSeed() & 0x7fffffff));
        Dataset data = Datasets.load(job.dataset()).withTrainLimit(job.maxTrainSamples());
        // reading the files left decompressed copies behind: collect them now so that a heap that
        // shrinks when free (the image's JVM flags) gives the memory back before training
        System.gc();
        try {
            StageMetrics metrics = job.pretrainedDir() != null
                    ? evaluatePretrained(job, data, device, out, threads)
                    : train(job, data, device, out, threads, events);
            writeTermination(metrics);
            events.onFinish(metrics);
            return metrics;
        } catch (IOException e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot write results to " + out + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new TrainerException(TrainerException.FAILURE, "out of memory training stage " + job.stage()
                    + " (lower training.batchSize or raise the memory limit): " + e.getMessage(), e);
        } catch (ai.djl.engine.EngineException e) {
            throw new TrainerException(TrainerException.FAILURE, "PyTorch failed: " + ModelFiles.firstLine(e.getMessage()), e);
        }
    }

    private Device resolveDevice(Engine engine) throws TrainerException {
        int gpus = engine.getGpuCount();
        return switch (options.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw TrainerException.badInput("device gpu was requested but PyTorch sees no GPU (is this the CUDA image, "
                            + "and does the pod request a GPU?); use --device auto or cpu");
                }
                yield Device.gpu();
            }
            default -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    // ------------------------------------------------------------------ training

    private StageMetrics train(StageJob job, Dataset data, Device device, Path out, int threads, TrainingListener events)
            throws TrainerException, IOException {
        TrainingSpec t = job.training();
        ImageSet train = data.train();
        int classes = data.classes();
        long[] inputShape = data.inputShape();
        int batchSize = Math.min(t.getBatchSize(), train.size());
        if (train.size() < 2) {
            throw TrainerException.badInput("dataset " + data.name() + " has " + train.size() + " training image(s); at least 2 are needed");
        }

        ModelFiles.Loaded teacher = null;
        String kdPath = "none";
        if (job.teacherDir() != null && t.getAlpha() > 0) {
            teacher = ModelFiles.load(Path.of(job.teacherDir()), device, "teacher");
            checkFits(teacher.info(), data, Path.of(job.teacherDir()), "teacher");
            teacher.block().freezeParameters(true);
            // -Ddistill.kd.noCache=true forces a teacher pass per batch without augmentation (for benchmarks)
            kdPath = t.getAugment() || Boolean.getBoolean("distill.kd.noCache") ? "per-batch" : "cached";
        } else if (job.teacherDir() != null) {
            LOG.info("alpha = 0: the teacher's soft targets carry no weight; training from labels alone");
        }

        try (Model student = Model.newInstance(ModelFiles.NAME, device, "PyTorch")) {
            Block block = Models.build(job.model().getArchitecture(), job.model().getDepth(), job.model().effectiveWidth(), classes);
            student.setBlock(block);
            student.setDataType(DataType.FLOAT32);
            NDManager modelManager = student.getNDManager();
            Models.initialize(block, modelManager, inputShape, t.getSeed());
            ParameterUpdater updater = new ParameterUpdater(block, modelManager, t.getOptimizer(), t.getMomentum(), t.getWeightDecay());

            Checkpoints checkpoints = new Checkpoints(out);
            List<EpochResult> history = new ArrayList<>();
            Integer resumedFrom = null;
            Checkpoints.Restored restored = checkpoints.restoreLatest(job.fingerprint(), block, updater, modelManager, t.getEpochs());
            if (restored != null) {
                history.addAll(restored.state().history());
                resumedFrom = restored.state().epoch();
                LOG.info("Resuming stage {}/{} after epoch {} from {}", job.chain(), job.stage(), resumedFrom, restored.dir());
            }
            int firstEpoch = history.size() + 1;
            long batchesPerEpoch = batchesPerEpoch(train.size(), batchSize);
            events.onStart(job, firstEpoch, t.getEpochs(), batchesPerEpoch);

            Normalization norm = data.normalization();
            boolean channelsLast = channelsLast(device, job.model().getArchitecture(), job.model().getDepth(),
                    job.model().effectiveWidth(), classes);
            Batches batches = new Batches(train, norm, classes, channelsLast);
            Batches testBatches = new Batches(data.test(), norm, classes, channelsLast);
            ParameterStore store = new ParameterStore(modelManager, false);
            TeacherInput teacherInput = null;
            float[] cachedLogits = null;
            if (teacher != null && firstEpoch <= t.getEpochs()) {
                teacherInput = new TeacherInput(teacher, norm, device);
                if (kdPath.equals("cached")) {
                    long t0 = System.nanoTime();
                    cachedLogits = logitsOf(teacher.block(), new Batches(train, teacher.info().normalizationValue(), classes,
                            channelsLast(device, teacher.info())),
                            train.size(), classes, device);
                    LOG.info("Cached the teacher's logits for {} training images in {} s", train.size(),
                            String.format("%.1f", (System.nanoTime() - t0) / 1e9));
                    int bad = firstNonFinite(cachedLogits);
                    if (bad >= 0) {
                        throw unusableTeacher(job, "training image " + bad / classes);
                    }
                }
            }

            for (int epoch = firstEpoch; epoch <= t.getEpochs(); epoch++) {
                double lr = LearningRates.forEpoch(t, epoch);
                EpochResult r = trainEpoch(job, epoch, lr, block, store, updater, batches, train, classes, batchSize,
                        teacherInput, cachedLogits, device, events);
                double[] eval = evaluate(block, testBatches, data.test(), classes, device);
                r = new EpochResult(r.epoch(), r.trainLoss(), r.trainAccuracy(), eval[0], eval[1], r.learningRate(), r.seconds(),
                        r.samplesPerSecond());
                history.add(r);
                checkpoints.save(epoch, job.fingerprint(), block, updater, history);
                events.onEpoch(r);
            }

            StageMetrics metrics = finalMetrics(history, t.getEpochs(), device, kdPath);
            ModelInfo info = modelInfo(job, data, Models.parameterCount(block), job.model().getArchitecture().value(),
                    job.model().getDepth(), job.model().effectiveWidth());
            ModelFiles.save(out, student, info);
            Json.write(out.resolve(METRICS_FILE), new MetricsFile(job.chain(), job.stage(), job.fingerprint(), info.architecture(),
                    info.depth(), info.parameters(), train.size(), data.test().size(), threads, false, resumedFrom, true,
                    metrics, history));
            checkpoints.prune(1);
            Json.writeString(out.resolve(FINGERPRINT_FILE), job.fingerprint());
            return metrics;
        } finally {
            if (teacher != null) {
                teacher.model().close();
            }
        }
    }

    /** Whether {@code outputDir} holds at least one complete epoch checkpoint (of any fingerprint). */
    public static boolean hasCheckpoint(Path outputDir) throws IOException {
        return !new Checkpoints(outputDir).complete().isEmpty();
    }

    /** Networks whose narrowest convolution has fewer filters than this take batches in NCHW order. */
    static final int CHANNELS_LAST_MIN_FILTERS = 8;

    /**
     * Whether a network's batches go in channels-last memory order: on the CPU, where libtorch's
     * kernels for it are the faster ones (see {@link Batches}), unless the network has a convolution
     * narrower than {@value #CHANNELS_LAST_MIN_FILTERS} filters, where they are the slower ones
     * (plain-cnn-2 at width 0.25, 4 filters: 2.3 times slower per step; at width 0.5, 8 filters: 1.1
     * to 1.2 times faster; at width 1: 1.7 times faster). Not on a GPU, where it is unmeasured.
     * {@code -Ddistill.channelsLast=false} turns it off (for benchmarks).
     */
    static boolean channelsLast(Device device, int narrowestConvolution) {
        return Device.Type.CPU.equals(device.getDeviceType()) && narrowestConvolution >= CHANNELS_LAST_MIN_FILTERS
                && !"false".equals(System.getProperty("distill.channelsLast"));
    }

    static boolean channelsLast(Device device, Architecture architecture, int depth, double width, int classes) {
        return channelsLast(device, Models.narrowestConvolution(architecture, depth, width, classes));
    }

    /** The same for a network read from a model.json (a teacher, a pretrained stage). */
    static boolean channelsLast(Device device, ModelInfo info) {
        return channelsLast(device, Architecture.fromValue(info.architecture()), info.depth(), info.width(), info.classes());
    }

    static long batchesPerEpoch(int n, int batchSize) {
        long full = n / batchSize;
        int rest = n % batchSize;
        // a last batch of one image is dropped: BatchNorm cannot normalise a single example
        return full + (rest >= 2 ? 1 : 0);
    }

    private EpochResult trainEpoch(StageJob job, int epoch, double lr, Block block, ParameterStore store, ParameterUpdater updater,
                                   Batches batches, ImageSet train, int classes, int batchSize, TeacherInput teacher,
                                   float[] cachedLogits, Device device, TrainingListener events) throws TrainerException {
        TrainingSpec t = job.training();
        int n = train.size();
        SplittableRandom random = new SplittableRandom(t.getSeed() * 0x9E3779B97F4A7C15L + epoch);
        int[] order = permutation(n, random);
        SplittableRandom augment = t.getAugment() ? random.split() : null;
        long steps = batchesPerEpoch(n, batchSize);
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        long start = System.nanoTime();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager epochManager = NDManager.newBaseManager(device)) {
            for (long s = 0; s < steps; s++) {
                int from = (int) (s * batchSize);
                int to = Math.min(n, from + batchSize);
                try (NDManager step = epochManager.newSubManager()) {
                    NDArray x = batches.images(step, order, from, to, augment);
                    NDArray y = batches.oneHot(step, order, from, to);
                    NDArray teacherLogits = null;
                    if (cachedLogits != null) {
                        teacherLogits = batches.rows(step, cachedLogits, classes, order, from, to);
                    } else if (teacher != null) {
                        teacherLogits = teacher.logits(x);
                    }
                    NDArray logits;
                    NDArray loss;
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        logits = Forward.run(block, store, x, true);
                        loss = KdLoss.loss(logits, y, teacherLogits, t.getTemperature(), t.getAlpha());
                        collector.backward(loss);
                    }
                    double value = KdLoss.value(loss);
                    if (!Double.isFinite(value)) {
                        if (teacherLogits != null && !finite(teacherLogits)) {
                            throw unusableTeacher(job, "a batch of epoch " + epoch);
                        }
                        throw diverged(value, epoch, s + 1, steps, lr, t, whereNotFinite(block, x, logits));
                    }
                    updater.step(lr);
                    int b = to - from;
                    lossSum += value * b;
                    correct += countCorrect(logits.toFloatArray(), classes, train, order, from, to);
                    seen += b;
                }
                events.onBatch(epoch, s + 1, steps, seen);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochResult(epoch, lossSum / seen, (double) correct / seen, Double.NaN, Double.NaN, lr, seconds, seen / seconds);
    }

    /**
     * A loss that is no longer finite: the weights have blown up and every later step would train on
     * NaN (and every student of this stage learn from it). The stage fails before that step's update;
     * the epoch checkpoints before it stay and a retry resumes from the last one.
     */
    static TrainerException diverged(double loss, int epoch, long step, long steps, double lr, TrainingSpec t, String where) {
        return new TrainerException(TrainerException.FAILURE, String.format(Locale.ROOT,
                "training diverged: the loss became %s at epoch %d, step %d of %d (learning rate %.4g, batch size %d; %s); "
                        + "lower training.learningRate or raise training.batchSize and train the stage again",
                Double.isNaN(loss) ? "NaN" : "infinite", epoch, step, steps, lr, t.getBatchSize(), where));
    }

    /** Where the first non-finite value of a diverged step is: a weight (an earlier update), the input, the output or the loss. */
    static String whereNotFinite(Block block, NDArray x, NDArray logits) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!finite(p.getValue().getArray())) {
                return "parameter " + p.getKey() + " was already not finite: an earlier update made it so";
            }
        }
        if (!finite(x)) {
            return "the batch's images were not finite";
        }
        if (!finite(logits)) {
            return "the network's output was not finite although its weights and input were";
        }
        return "the loss alone was not finite: the output was";
    }

    static TrainerException unusableTeacher(StageJob job, String where) {
        return TrainerException.badInput("teacher " + Path.of(job.teacherDir()).resolve(ModelFiles.PARAMS) + " gives logits that are "
                + "not finite (NaN or infinite) for " + where + ": it holds a diverged network; train the teacher stage again");
    }

    private static boolean finite(NDArray a) {
        return firstNonFinite(a.toFloatArray()) < 0;
    }

    /** The index of the first NaN or infinite value, or -1. */
    private static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    private static long countCorrect(float[] logits, int classes, ImageSet set, int[] order, int from, int to) {
        long correct = 0;
        for (int i = 0; i < to - from; i++) {
            if (argmax(logits, i * classes, classes) == set.label(order == null ? from + i : order[from + i])) {
                correct++;
            }
        }
        return correct;
    }

    private static int argmax(float[] v, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }

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

    /** Test-set mean cross-entropy and accuracy (inference mode: BatchNorm uses its running statistics). */
    static double[] evaluate(Block block, Batches batches, ImageSet test, int classes, Device device) {
        float[] all = logitsOf(block, batches, test.size(), classes, device);
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int off = i * classes;
            int label = test.label(i);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                max = Math.max(max, all[off + j]);
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp(all[off + j] - max);
            }
            loss += (max + Math.log(sum)) - all[off + label];
            if (argmax(all, off, classes) == label) {
                correct++;
            }
        }
        return new double[] {loss / test.size(), (double) correct / test.size()};
    }

    /** The network's logits for every image of a set, in order, as a row-major (N, K) table. */
    static float[] logitsOf(Block block, Batches batches, int n, int classes, Device device) {
        float[] all = new float[n * classes];
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int to = Math.min(n, from + EVAL_BATCH);
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = batches.images(step, identity, from, to, null);
                    float[] logits = Forward.run(block, store, x, false).toFloatArray();
                    System.arraycopy(logits, 0, all, from * classes, logits.length);
                }
            }
        }
        return all;
    }

    /** Feeds the student's batch to the teacher, renormalised when the teacher was trained with other statistics. */
    private static final class TeacherInput {
        private final Block block;
        private final ParameterStore store;
        private final float[] scale;
        private final float[] shift;

        TeacherInput(ModelFiles.Loaded teacher, Normalization studentNorm, Device device) {
            this.block = teacher.block();
            this.store = new ParameterStore(teacher.model().getNDManager(), false);
            Normalization tn = teacher.info().normalizationValue();
            if (tn.closeTo(studentNorm, 1e-9)) {
                scale = null;
                shift = null;
            } else {
                // x_t = ((x_s·σ_s + μ_s) − μ_t) / σ_t per channel
                int c = studentNorm.mean().length;
                scale = new float[c];
                shift = new float[c];
                for (int i = 0; i < c; i++) {
                    scale[i] = (float) (studentNorm.std()[i] / tn.std()[i]);
                    shift[i] = (float) ((studentNorm.mean()[i] - tn.mean()[i]) / tn.std()[i]);
                }
            }
        }

        NDArray logits(NDArray x) {
            NDArray in = x;
            if (scale != null) {
                NDManager m = x.getManager();
                Shape s = new Shape(1, scale.length, 1, 1);
                in = x.mul(m.create(scale, s)).add(m.create(shift, s));
            }
            return Forward.run(block, store, in, false);
        }
    }

    // ------------------------------------------------------------------ pretrained stages

    private StageMetrics evaluatePretrained(StageJob job, Dataset data, Device device, Path out, int threads)
            throws TrainerException, IOException {
        Path dir = Path.of(job.pretrainedDir());
        ModelFiles.Loaded loaded = ModelFiles.load(dir, device, "pretrained");
        try {
            ModelInfo info = loaded.info();
            checkFits(info, data, dir, "pretrained");
            if (!info.architecture().equals(job.model().getArchitecture().value()) || info.depth() != job.model().getDepth()) {
                throw TrainerException.badInput("pretrained file " + dir.resolve(ModelFiles.INFO) + " describes " + info.architecture() + "-"
                        + info.depth() + " but the stage's model is " + job.model().getArchitecture() + "-" + job.model().getDepth());
            }
            long start = System.nanoTime();
            Batches testBatches = new Batches(data.test(), info.normalizationValue(), data.classes(), channelsLast(device, info));
            double[] eval = evaluate(loaded.block(), testBatches, data.test(), data.classes(), device);
            LOG.info("Pretrained {}: test accuracy {} in {} s", dir, String.format("%.4f", eval[1]),
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            StageMetrics m = new StageMetrics();
            m.setTestAccuracy(eval[1]);
            m.setTestLoss(eval[0]);
            m.setBestTestAccuracy(eval[1]);
            m.setEpochs(0);
            m.setTrainSeconds(0.0);
            m.setDevice(device.toString());
            m.setTeacherLogits("none");
            Path params = dir.resolve(ModelFiles.PARAMS);
            if (!Files.isSameFile(dir, out)) {
                Path tmp = out.resolve("." + ModelFiles.PARAMS + ".tmp");
                Files.copy(params, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, out.resolve(ModelFiles.PARAMS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            ModelInfo mine = new ModelInfo(ModelInfo.FORMAT, info.architecture(), info.depth(), info.width(), info.classes(),
                    info.inputShape(), info.normalization(), info.dataset(), info.parameters(), job.chain(), job.stage(),
                    job.fingerprint(), info.engine());
            Json.write(out.resolve(ModelFiles.INFO), mine);
            Json.write(out.resolve(METRICS_FILE), new MetricsFile(job.chain(), job.stage(), job.fingerprint(), info.architecture(),
                    info.depth(), info.parameters(), data.train().size(), data.test().size(), threads, true, null, false, m, List.of()));
            Json.writeString(out.resolve(FINGERPRINT_FILE), job.fingerprint());
            return m;
        } finally {
            loaded.model().close();
        }
    }

    private static void checkFits(ModelInfo info, Dataset data, Path dir, String role) throws TrainerException {
        if (info.classes() != data.classes()) {
            throw TrainerException.badInput(role + " file " + dir.resolve(ModelFiles.INFO) + " says " + info.classes()
                    + " classes but dataset " + data.name() + " has " + data.classes());
        }
        if (!Arrays.equals(info.inputShapeArray(), data.inputShape())) {
            throw TrainerException.badInput(role + " file " + dir.resolve(ModelFiles.INFO) + " says input shape " + info.inputShape()
                    + " but dataset " + data.name() + " images are " + Arrays.toString(data.inputShape()));
        }
    }

    // ------------------------------------------------------------------ outputs

    static StageMetrics finalMetrics(List<EpochResult> history, int epochs, Device device, String kdPath) {
        EpochResult last = history.get(history.size() - 1);
        double seconds = 0;
        double samples = 0;
        double best = 0;
        for (EpochResult r : history) {
            seconds += r.seconds();
            samples += r.samplesPerSecond() * r.seconds();
            best = Math.max(best, r.testAccuracy());
        }
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(last.testAccuracy());
        m.setTestLoss(last.testLoss());
        m.setBestTestAccuracy(best);
        m.setEpochs(epochs);
        m.setTrainSeconds(round(seconds, 1));
        m.setSamplesPerSecond(round(seconds > 0 ? samples / seconds : 0, 1));
        m.setDevice(device.toString());
        m.setTeacherLogits(kdPath);
        return m;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static ModelInfo modelInfo(StageJob job, Dataset data, long parameters, String architecture, int depth, double width) {
        List<Long> shape = Arrays.stream(data.inputShape()).boxed().toList();
        Normalization n = data.normalization();
        return new ModelInfo(ModelInfo.FORMAT, architecture, depth, width, data.classes(), shape,
                new ModelInfo.NormalizationJson(Arrays.stream(n.mean()).boxed().toList(), Arrays.stream(n.std()).boxed().toList()),
                data.name(), parameters, job.chain(), job.stage(), job.fingerprint(), Engines.description());
    }

    /** The metrics recorded in {@code out} when its fingerprint file holds {@code fingerprint}; else null. */
    static StageMetrics completedMetrics(Path out, String fingerprint) {
        Path fp = out.resolve(FINGERPRINT_FILE);
        try {
            if (!Files.isRegularFile(fp) || !Files.readString(fp, StandardCharsets.UTF_8).trim().equals(fingerprint)) {
                return null;
            }
            MetricsFile m = Json.read(out.resolve(METRICS_FILE), MetricsFile.class);
            if (m.finalMetrics() != null && Files.isRegularFile(out.resolve(ModelFiles.PARAMS))) {
                return m.finalMetrics();
            }
        } catch (IOException e) {
            LOG.warn("{} holds this stage's fingerprint but {} is unreadable ({}); training again", out, METRICS_FILE,
                    ModelFiles.firstLine(e.getMessage()));
        }
        return null;
    }

    private void writeTermination(StageMetrics metrics) {
        Path path = options.terminationMessagePath();
        if (path == null) {
            return;
        }
        try {
            Files.writeString(path, Json.COMPACT.writeValueAsString(metrics), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Cannot write the termination message to {}: {}", path, e.getMessage());
        }
    }
}
