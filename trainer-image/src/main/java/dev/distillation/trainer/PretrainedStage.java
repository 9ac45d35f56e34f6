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
 * and writes the same outputs a trained stage does, with {@code epochs: 0}.
 */
final class PretrainedStage {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainedStage.class);
    private static final String ROLE = "pretrained";

    private PretrainedStage() {}

    static StageMetrics evaluate(RunContext ctx) throws TrainerException, IOException {
        StageJob job = ctx.job();
        Dataset data = ctx.data();
        Path dir = Path.of(job.pretrainedDir());
        StageFolder source = StageFolder.of(dir);
        ModelFiles.Loaded loaded = ModelFiles.load(dir, ctx.device(), ROLE);
        try {
            ModelInfo info = loaded.info();
            ModelFiles.checkFits(info, data, dir, ROLE);
            if (!info.architecture().equals(job.model().getArchitecture().value()) || info.depth() != job.model().getDepth()) {
                throw TrainerException.badInput(ROLE + " file " + source.modelInfo() + " describes " + info.architecture() + "-"
                        + info.depth() + " but the stage's model is " + job.model().getArchitecture() + "-" + job.model().getDepth());
            }
            long start = System.nanoTime();
            boolean channelsLast = MemoryLayout.channelsLast(ctx.device(), info);
            Batches testBatches = new Batches(data.test(), info.normalizationValue(), data.classes(), channelsLast);
            Evaluator.Evaluation eval = Evaluator.evaluate(loaded.block(), testBatches, data.test(), data.classes(), ctx.device());
            Evaluator.Evaluation validation = data.validation() == null ? null
                    : Evaluator.evaluate(loaded.block(), new Batches(data.validation(), info.normalizationValue(), data.classes(), channelsLast),
                            data.validation(), data.classes(), ctx.device());
            LOG.info("Pretrained {}: test accuracy {} in {} s", dir, String.format(Locale.ROOT, "%.4f", eval.accuracy()),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
            StageMetrics m = metrics(eval, validation, ctx);
            StageFolder out = ctx.folder();
            if (!Files.isSameFile(dir, out.dir())) {
                Path tmp = out.dir().resolve("." + StageFolder.PARAMS + ".tmp");
                Files.copy(source.params(), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, out.params(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Json.write(out.modelInfo(), info.forStage(job));
            out.writeMetrics(new MetricsFile(job.chain(), job.stage(), job.fingerprint(), info.architecture(), info.depth(),
                    info.parameters(), data.train().size(), data.test().size(), ctx.threads(), true, null, false, m, List.of(),
                    data.validation() == null ? null : data.validation().size()));
            out.markComplete(job.fingerprint());
            return m;
        } finally {
            loaded.model().close();
        }
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
