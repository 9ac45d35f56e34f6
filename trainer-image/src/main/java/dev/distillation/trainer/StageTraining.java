package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.data.ImageSet;
import dev.distillation.trainer.model.Models;
import dev.distillation.trainer.data.Normalization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a stage's network: builds and initialises it, resumes from the newest usable checkpoint of
 * the job's fingerprint, trains the remaining epochs (evaluating on the test split, and on the validation
 * split when the job holds one out, and checkpointing after each), then writes model.params (model.pt
 * for a torchscript network), model.json, metrics.json and the export for serving
 * ({@link ServingExport}), keeps only the last checkpoint, and writes the fingerprint last.
 */
final class StageTraining {

    private static final Logger LOG = LoggerFactory.getLogger(StageTraining.class);

    private StageTraining() {}

    static StageMetrics run(RunContext ctx) throws TrainerException, IOException {
        StageJob job = ctx.job();
        StageJobTraining t = job.training();
        Dataset data = ctx.data();
        ImageSet train = data.train();
        if (train.size() < Bounds.TRAIN_SAMPLES_MIN) {
            throw TrainerException.badInput("dataset " + data.name() + " has " + train.size() + " training image(s); at least "
                    + Bounds.TRAIN_SAMPLES_MIN + " are needed");
        }
        Normalization normalization = job.model().getArchitecture().builtin() ? data.normalization()
                : TorchScriptModels.normalization(job, data);
        try (TeacherSignal teacher = TeacherSignal.open(ctx);
             Model student = student(ctx)) {
            Block block = student.getBlock();
            NDManager modelManager = student.getNDManager();
            ParameterUpdater updater = new ParameterUpdater(block, modelManager, t.getOptimizer(), t.getMomentum(), t.getWeightDecay());

            Checkpoints checkpoints = new Checkpoints(ctx.folder());
            Checkpoints.Restored restored = checkpoints.restoreLatest(job.fingerprint(), block, updater, modelManager, t.getEpochs());
            LearningCurve curve = new LearningCurve(restored == null ? List.of() : restored.state().history());
            if (restored != null) {
                LOG.info("Resuming stage {}/{} after epoch {} from {}", job.chain(), job.stage(), restored.state().epoch(), restored.dir());
            }
            int firstEpoch = curve.nextEpoch();
            boolean channelsLast = MemoryLayout.channelsLast(ctx.device(), job.model(), ctx.classes());
            Batches batches = new Batches(train, normalization, ctx.classes(), channelsLast);
            Batches testBatches = new Batches(data.test(), normalization, ctx.classes(), channelsLast);
            Batches validationBatches = data.validation() == null ? null
                    : new Batches(data.validation(), normalization, ctx.classes(), channelsLast);
            List<Device> devices = DataParallel.devices(ctx.devices(), job.model().getArchitecture().builtin());
            if (devices.size() < ctx.devices().size()) {
                LOG.info("A TorchScript network lives on one device: training on {} only, not on all of {}", ctx.device(),
                        DataParallel.describe(ctx.devices()));
            } else if (devices.size() > 1) {
                LOG.info("Training data parallel on {}", DataParallel.describe(devices));
            }
            TrainingLoop loop = new TrainingLoop(ctx, student, devices, updater, batches, teacher);
            ctx.events().onStart(job, firstEpoch, t.getEpochs(), loop.batchesPerEpoch());
            if (firstEpoch <= t.getEpochs()) {
                teacher.prepare(ctx);
            }

            for (int epoch = firstEpoch; epoch <= t.getEpochs(); epoch++) {
                EpochResult trained = loop.run(epoch);
                Evaluator.Evaluation test = Evaluator.evaluate(block, testBatches, data.test(), ctx.classes(), ctx.device());
                Evaluator.Evaluation validation = validationBatches == null ? null
                        : Evaluator.evaluate(block, validationBatches, data.validation(), ctx.classes(), ctx.device());
                EpochResult r = trained.withEvaluation(test, validation);
                curve.add(r);
                Optional<TrainerException> collapsed = Collapse.check(r, test, epoch * loop.batchesPerEpoch(), ctx.classes(), t);
                if (collapsed.isPresent()) {
                    ctx.events().onEpoch(r);
                    throw collapsed.get(); // no checkpoint: resuming a collapsed network would not help
                }
                checkpoints.save(epoch, job.fingerprint(), block, updater, curve.epochs());
                ctx.events().onEpoch(r);
            }

            StageMetrics metrics = curve.finalMetrics(t.getEpochs(), devices, teacher.mode());
            metrics.setExport(ServingExport.DIR);
            ModelInfo info = ModelInfo.of(job, data, normalization, Models.parameterCount(block));
            ModelFiles.save(ctx.folder().dir(), student, info);
            ctx.folder().writeMetrics(new MetricsFile(job.chain(), job.stage(), job.fingerprint(), info.architecture(), info.depth(),
                    info.parameters(), train.size(), data.test().size(), ctx.threads(), false,
                    restored == null ? null : restored.state().epoch(), true, metrics, curve.epochs(),
                    data.validation() == null ? null : data.validation().size()));
            ServingExport.write(ctx.folder(), info, data.classNames());
            checkpoints.prune(1);
            ctx.folder().markComplete(job.fingerprint());
            return metrics;
        }
    }

    /**
     * The network the stage trains: a built-in one built and initialised with the job's seed, or the
     * stage's TorchScript file with the weights it holds (checked against the dataset first).
     */
    private static Model student(RunContext ctx) throws TrainerException {
        StageJob job = ctx.job();
        if (!job.model().getArchitecture().builtin()) {
            Path file = TorchScriptModels.file(job.model().getTorchscript(), "model.torchscript");
            return TorchScriptModels.load(file, "model.torchscript", job, ctx.data(), ctx.device(), true).model();
        }
        Model student = Model.newInstance(ModelFiles.NAME, ctx.device(), "PyTorch");
        Block block = Models.build(job.model().getArchitecture(), job.model().getDepth(), job.model().getWidth(), ctx.classes());
        student.setBlock(block);
        student.setDataType(DataType.FLOAT32);
        Models.initialize(block, student.getNDManager(), ctx.data().inputShape(), job.training().getSeed());
        return student;
    }
}
