package dev.distillation.cli;

import dev.distillation.api.job.InvalidStageJobException;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobCodec;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.Json;
import dev.distillation.trainer.OutOfMemory;
import dev.distillation.trainer.ProgressEndpoint;
import dev.distillation.trainer.ProgressLogger;
import dev.distillation.trainer.StageRunner;
import dev.distillation.trainer.TrainerException;
import dev.distillation.trainer.TrainerOptions;
import dev.distillation.trainer.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code distill train}: trains one stage as its StageJob says. Exit codes ({@code TrainerExit}): 0 done,
 * 1 crashed, 2 bad input (StageJob, dataset, teacher or checkpoint files), 3 out of memory, 4 training
 * failed (collapsed or diverged); the one-line reason goes to stderr and, on failure, to the
 * termination message.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {"Train one stage of a distillation chain (what a stage Pod runs).",
                "The StageJob comes from --job FILE or the " + StageJob.ENV_VAR + " environment variable."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the stage completed", "1:the trainer crashed (a retry may succeed)",
                "2:bad input (StageJob, dataset, teacher or checkpoint)", "3:out of memory (give the trainer more memory)",
                "4:training failed: the run collapsed or diverged (change the settings)"})
public final class TrainCommand implements Callable<Integer> {

    /** Kubernetes' default termination message path. */
    static final Path DEFAULT_TERMINATION_LOG = Path.of("/dev/termination-log");

    @Option(names = "--job", paramLabel = "FILE", description = "StageJob JSON file (default: the " + StageJob.ENV_VAR + " variable).")
    Path jobFile;

    @CommandLine.Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Option(names = "--termination-log", paramLabel = "PATH",
            description = "Where the final metrics go as compact JSON (default: /dev/termination-log when it exists).")
    Path terminationLog;

    @Option(names = "--progress-port", paramLabel = "PORT", defaultValue = "${env:" + StageJob.PROGRESS_PORT_ENV_VAR + ":-0}",
            description = "Serve the stage's progress as JSON at GET /progress on this port while training (0: off; default: the "
                    + StageJob.PROGRESS_PORT_ENV_VAR + " variable, else 0).")
    int progressPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path termination = terminationLog != null ? terminationLog
                : (Files.exists(DEFAULT_TERMINATION_LOG) ? DEFAULT_TERMINATION_LOG : null);
        StageJob job;
        try {
            job = readJob();
        } catch (InvalidStageJobException e) {
            return fail(err, termination, TrainerException.BAD_INPUT, e.getMessage());
        }
        TrainerOptions options;
        try {
            options = deviceOptions.trainerOptions(termination);
        } catch (IllegalArgumentException e) {
            return fail(err, termination, TrainerException.BAD_INPUT, e.getMessage());
        }
        MemoryLimitWatch.start(message -> fail(err, termination, TrainerException.OUT_OF_MEMORY, message), TrainerException.OUT_OF_MEMORY);
        out.printf("distill train: stage %s of chain %s, %s, %d epochs, output %s%n", job.stage(), job.chain(),
                job.model(), job.training().getEpochs(), job.outputDir());
        out.flush();
        try (ProgressEndpoint endpoint = progressEndpoint(err)) {
            TrainingListener listener = endpoint == null ? new ProgressLogger(out) : TrainingListener.all(new ProgressLogger(out), endpoint);
            StageMetrics metrics = new StageRunner(options).run(job, listener);
            out.println("distill train: done " + Json.COMPACT.writeValueAsString(metrics));
            out.flush();
            return 0;
        } catch (TrainerException e) {
            if (e.exitCode() != TrainerException.BAD_INPUT && e.getCause() != null && System.getenv("DISTILL_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return fail(err, termination, e.exitCode(), e.getMessage());
        } catch (OutOfMemoryError e) {
            TrainerException oom = OutOfMemory.failure(e, "running stage " + job.stage());
            return fail(err, termination, oom.exitCode(), oom.getMessage());
        } catch (Exception | Error e) {
            // an Error too (a native library that would not load, a stack overflow...): the termination
            // message must say what happened, not be left for the kubelet to fill with a stack frame
            e.printStackTrace(err);
            return fail(err, termination, TrainerException.FAILURE, "unexpected error: " + e);
        }
    }

    /** The progress endpoint, or null when off or when its port is taken: progress is advice, training goes on without it. */
    private ProgressEndpoint progressEndpoint(PrintWriter err) {
        if (progressPort <= 0) {
            return null;
        }
        try {
            return ProgressEndpoint.start(progressPort, Clock.systemUTC());
        } catch (IOException e) {
            err.println("distill train: warning: cannot serve progress on port " + progressPort + ": " + e.getMessage());
            err.flush();
            return null;
        }
    }

    private StageJob readJob() throws InvalidStageJobException {
        if (jobFile != null) {
            return StageJobCodec.read(jobFile);
        }
        String env = System.getenv(StageJob.ENV_VAR);
        if (env == null || env.isBlank()) {
            throw new InvalidStageJobException(null, "no StageJob: pass --job FILE or set " + StageJob.ENV_VAR);
        }
        return StageJobCodec.read(env);
    }

    private static int fail(PrintWriter err, Path termination, int code, String message) {
        err.println("distill train: error: " + message);
        err.flush();
        if (termination != null) {
            try {
                Files.writeString(termination, "error: " + message, StandardCharsets.UTF_8);
            } catch (Exception ignored) {
                // the message is on stderr already
            }
        }
        return code;
    }
}
