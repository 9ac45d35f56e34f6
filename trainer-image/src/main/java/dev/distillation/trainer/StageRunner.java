package dev.distillation.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.distillation.api.job.InvalidStageJobException;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobCodec;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.data.DatasetException;
import dev.distillation.trainer.data.Datasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage as a {@link StageJob} describes it: trains its network ({@link StageTraining}) or,
 * for a pretrained stage, loads and evaluates it ({@link PretrainedStage}), writing the results to the
 * job's output folder ({@link StageFolder}). A folder that already holds the job's fingerprint is
 * complete: its recorded metrics are returned without training. The final metrics also go to the
 * termination message when the options name one.
 *
 * <p>One instance may run several jobs one after the other, on one thread at a time.
 */
public final class StageRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    private final TrainerOptions options;

    public StageRunner(TrainerOptions options) {
        this.options = options == null ? TrainerOptions.defaults() : options;
    }

    public StageMetrics run(StageJob job, TrainingListener listener) throws TrainerException {
        TrainingListener events = listener == null ? TrainingListener.NONE : listener;
        try {
            StageJobCodec.validate(job);
        } catch (InvalidStageJobException e) {
            throw TrainerException.badInput(e.getMessage(), e);
        }
        StageFolder folder = StageFolder.of(Path.of(job.outputDir()));
        try {
            Files.createDirectories(folder.dir());
        } catch (IOException e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot create output folder " + folder.dir() + ": " + e, e);
        }
        StageMetrics done = folder.completedMetrics(job.fingerprint());
        if (done != null) {
            LOG.info("Stage {}/{} already complete in {} (fingerprint matches); reusing its results", job.chain(), job.stage(), folder.dir());
            return finish(done, events);
        }
        try {
            folder.removeFingerprint();
        } catch (IOException e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot remove stale " + folder.fingerprint() + ": " + e, e);
        }
        RunContext ctx;
        try {
            ctx = context(job, folder, events);
        } catch (OutOfMemoryError e) {
            throw OutOfMemory.failure(e, "loading the dataset");
        }
        String training = (job.pretrainedDir() != null ? "evaluating stage " : "training stage ") + job.stage();
        try {
            StageMetrics metrics = job.pretrainedDir() != null ? PretrainedStage.evaluate(ctx) : StageTraining.run(ctx);
            return finish(metrics, events);
        } catch (IOException e) {
            throw new TrainerException(TrainerException.FAILURE, "cannot write results to " + folder.dir() + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw OutOfMemory.failure(e, training);
        } catch (ai.djl.engine.EngineException e) {
            if (OutOfMemory.isNativeAllocationFailure(e.getMessage())) {
                throw OutOfMemory.failure(e, training);
            }
            throw new TrainerException(TrainerException.FAILURE, "PyTorch failed: " + ModelFiles.firstLine(e.getMessage()), e);
        }
    }

    /** Loads the engine (seeded with the job's seed) and the job's data. */
    private RunContext context(StageJob job, StageFolder folder, TrainingListener events) throws TrainerException {
        int threads = options.effectiveThreads();
        Engine engine = Engines.pytorch(threads);
        List<Device> devices = Engines.devices(engine, options.device());
        engine.setRandomSeed((int) (job.training().getSeed() & 0x7fffffff));
        Dataset data;
        try {
            data = Datasets.load(job.dataset());
            if (job.validation() != null) {
                data = data.withValidationSplit(job.validation().size(), job.validation().seed());
            }
            data = data.withTrainLimit(job.maxTrainSamples());
        } catch (DatasetException e) {
            throw TrainerException.badInput(e.getMessage(), e);
        }
        // reading the files left decompressed copies behind: collect them now so that a heap that
        // shrinks when free (the image's JVM flags) gives the memory back before training
        System.gc();
        return new RunContext(job, folder, data, devices, threads, events);
    }

    private StageMetrics finish(StageMetrics metrics, TrainingListener events) {
        writeTermination(metrics);
        events.onFinish(metrics);
        return metrics;
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
