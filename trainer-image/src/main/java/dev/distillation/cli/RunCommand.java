package dev.distillation.cli;

import dev.distillation.api.ChainFileException;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.local.LocalRunner;
import dev.distillation.local.Overrides;
import dev.distillation.local.ProgressReporter;
import dev.distillation.local.TrainerExecutor;
import dev.distillation.trainer.TrainerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code distill run chain.yaml}: the chain file users {@code kubectl apply}, run on this machine with no cluster. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Runs a chain on this machine, no cluster.",
                "",
                "Validates the DistillationChain file like the operator does, trains each stage in turn into "
                        + "WORKDIR/<chain>/<stage>/ and writes report.json, report.md and accuracy.png to WORKDIR/<chain>/. "
                        + "Stages whose folder already holds a result with the same fingerprint are reused; "
                        + "an interrupted stage resumes from its last epoch checkpoint.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every stage has a result",
                "1:a stage failed (the others ran; the report shows which)",
                "2:bad input (file, chain, options, dataset, teacher files): the message says what to fix",
                "130:interrupted (run the same command again to resume)"})
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHAIN.yaml", description = "A DistillationChain file (apiVersion distillation.dev/v1alpha1).")
    Path file;

    @Option(names = "--workdir", paramLabel = "DIR", defaultValue = "runs",
            description = "Where stage folders and reports go (default: ${DEFAULT-VALUE}).")
    Path workdir;

    @Option(names = "--epochs", paramLabel = "N", description = "Smoke run: train every stage for N epochs (recorded in the report).")
    Integer epochs;

    @Option(names = "--max-train-samples", paramLabel = "N",
            description = "Smoke run: use only the first N training images (recorded in the report).")
    Integer maxTrainSamples;

    @Option(names = "--volume", paramLabel = "CLAIM=DIR",
            description = "A local folder standing in for a PersistentVolumeClaim the chain names (dataset or pretrained volume).")
    Map<String, Path> volumes = new LinkedHashMap<>();

    @Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (epochs != null && epochs < 1 || maxTrainSamples != null && maxTrainSamples < 1) {
            err.println("distill run: --epochs and --max-train-samples take a number of at least 1");
            return 2;
        }
        DistillationChain chain;
        try {
            chain = ChainYaml.read(file);
        } catch (ChainFileException e) {
            err.println("distill run: " + e.getMessage());
            return 2;
        }
        List<ValidationError> errors = ChainValidator.validate(chain);
        if (!errors.isEmpty()) {
            err.println("distill run: " + file + " is not a valid DistillationChain (nothing was trained):");
            errors.forEach(e -> err.println("  " + e.path() + ": " + e.message()));
            return 2;
        }
        TrainerOptions options;
        try {
            options = deviceOptions.trainerOptions(null);
        } catch (IllegalArgumentException e) {
            err.println("distill run: --device/--threads: " + e.getMessage());
            return 2;
        }
        boolean bars = System.console() != null && !"dumb".equals(System.getenv("TERM")) && System.getenv("CI") == null;
        ProgressReporter progress = new ProgressReporter(out, bars);
        LocalRunner runner = new LocalRunner(new TrainerExecutor(options), progress, out);
        // Ctrl-C (or SIGTERM): say how to resume, then stop at once. Halting keeps libtorch's own shutdown
        // from freeing memory under the training thread (a native crash otherwise); the trainer writes
        // checkpoints and results atomically, so the stage folder is left resumable.
        Thread onInterrupt = new Thread(() -> {
            progress.close();
            err.println();
            if (runner.runningStage() != null) {
                err.println("Interrupted while training stage '" + runner.runningStage() + "'. Its finished epochs are "
                        + "checkpointed in " + runner.runningDir() + ": run the same command again to resume.");
            } else {
                err.println("Interrupted. Run the same command again to go on: finished stages are reused.");
            }
            err.flush();
            out.flush();
            Runtime.getRuntime().halt(130);
        }, "distill-run-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            LocalRunner.Result result = runner.run(chain,
                    new LocalRunner.Settings(workdir, new Overrides(epochs, maxTrainSamples), volumes));
            if (result.badInput() != null) {
                err.println("distill run: " + result.badInput());
            }
            return result.exitCode();
        } catch (LocalRunner.BadInputException e) {
            err.println("distill run: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("distill run: " + e);
            return 1;
        } finally {
            progress.close();
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs
            }
        }
    }
}
