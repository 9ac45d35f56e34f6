package dev.distillation.trainer;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage that brings its network: loads the job's pretrained folder (which must hold the stage's
 * architecture and depth, for the dataset's classes and image shape), evaluates it on the test split
 * and writes the same outputs a trained stage does, with {@code epochs: 0}. A torchscript stage's
 * pretrained path is its TorchScript file (or a folder holding model.pt), checked against the
 * stage's declared input and classes.
 */
final class PretrainedStage {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainedStage.class);
    private static final String ROLE = "pretrained";

    private PretrainedStage() {}

    static StageMetrics evaluate(RunContext ctx) throws TrainerException, IOException {
        StageJob job = ctx.job();
        Path dir = Path.of(job.pretrainedDir());
        if (!job.model().getArchitecture().builtin()) {
            Path file = TorchScriptModels.file(job.pretrainedDir(), ROLE);
            ModelFiles.Loaded loaded = TorchScriptModels.load(file, ROLE, job, ctx.data(), ctx.device(), false);
            try {
                return evaluate(ctx, loaded, file, StageFolder.of(ctx.folder().dir()).torchscript());
            } finally {
                loaded.model().close();
            }
        }
        StageFolder source = StageFolder.of(dir);
        ModelFiles.Loaded loaded = ModelFiles.load(dir, ctx.device(), ROLE);
        try {
            ModelInfo info = loaded.info();
            ModelFiles.checkFits(info, ctx.data(), dir, ROLE);
            if (!info.architecture().equals(job.model().getArchitecture().value()) || info.depth() != job.model().getDepth()) {
                throw TrainerException.badInput(ROLE + " file " + source.modelInfo() + " describes " + info.architecture() + "-"
                        + info.depth() + " but the stage's model is " + job.model().getArchitecture() + "-" + job.model().getDepth());
            }
            return evaluate(ctx, loaded, source.params(), ctx.folder().params());
        } finally {
            loaded.model().close();
        }
    }

    /** Evaluates the loaded network and writes the stage's outputs: {@code weights} copied to {@code target}, model.json, metrics. */
    private static StageMetrics evaluate(RunContext ctx, ModelFiles.Loaded loaded, Path weights, Path target)
            throws TrainerException, IOException {
        StageJob job = ctx.job();
        Dataset data = ctx.data();
        ModelInfo info = loaded.info();
        long start = System.nanoTime();
        boolean channelsLast = MemoryLayout.channelsLast(ctx.device(), info);
        Batches testBatches = new Batches(data.test(), info.normalizationValue(), data.classes(), channelsLast);
        Evaluator.Evaluation eval = Evaluator.evaluate(loaded.block(), testBatches, data.test(), data.classes(), ctx.device());
        Evaluator.Evaluation validation = data.validation() == null ? null
                : Evaluator.evaluate(loaded.block(), new Batches(data.validation(), info.normalizationValue(), data.classes(), channelsLast),
                        data.validation(), data.classes(), ctx.device());
        LOG.info("Pretrained {}: test accuracy {} in {} s", weights, String.format(Locale.ROOT, "%.4f", eval.accuracy()),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        StageMetrics m = metrics(eval, validation, ctx);
        m.setExport(ServingExport.DIR);
        StageFolder out = ctx.folder();
        if (!Files.exists(target) || !Files.isSameFile(weights, target)) {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.copy(weights, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.deleteIfExists(target.getFileName().toString().equals(StageFolder.PARAMS) ? out.torchscript() : out.params());
        ModelInfo recorded = info.forStage(job);
        Json.write(out.modelInfo(), recorded);
        out.writeMetrics(new MetricsFile(job.chain(), job.stage(), job.fingerprint(), info.architecture(), info.depth(),
                info.parameters(), data.train().size(), data.test().size(), ctx.threads(), true, null, false, m, List.of(),
                data.validation() == null ? null : data.validation().size()));
        ServingExport.write(out, recorded, data.classNames());
        out.markComplete(job.fingerprint());
        return m;
    }

    private static StageMetrics metrics(Evaluator.Evaluation eval, Evaluator.Evaluation validation, RunContext ctx) {
        StageMetrics m = new StageMetrics();
        if (validation != null) {
            m.setValidationAccuracy(validation.accuracy());
            m.setValidationLoss(validation.loss());
        }
        m.setTestAccuracy(eval.accuracy());
        m.setTestLoss(eval.loss());
        m.setBestTestAccuracy(eval.accuracy());
        m.setEpochs(0);
        m.setTrainSeconds(0.0);
        m.setDevice(ctx.device().toString());
        m.setTeacherLogits(TeacherSignal.Mode.NONE.value());
        return m;
    }
}
