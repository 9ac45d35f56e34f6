package dev.distillation.cli;

import dev.distillation.api.job.TrainerExit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code distill}: the trainer image's entry point. Subcommands: {@code train} (one stage of a chain,
 * as a Pod runs it). Add a subcommand by listing its class in {@code subcommands}.
 */
@Command(name = "distill",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Knowledge-distillation chains: train one stage, or run a chain locally.",
        subcommands = {
                TrainCommand.class,
                RunCommand.class,
                PredictCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class DistillCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The command line, as tests and main use it. */
    public static CommandLine commandLine() {
        return new CommandLine(new DistillCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        // the main thread reports its own errors (TrainCommand); an OutOfMemoryError in any other
        // thread would leave a stage waiting on a dead thread: end the process as the JVM's
        // -XX:+ExitOnOutOfMemoryError would, with the same exit code (TrainerExit.OUT_OF_MEMORY)
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            e.printStackTrace();
            if (e instanceof OutOfMemoryError) {
                System.err.println("distill: out of memory in thread " + thread.getName() + " (" + e
                        + "); raise spec.trainer.resources.memory");
                Runtime.getRuntime().halt(TrainerExit.OUT_OF_MEMORY.code());
            }
        });
        System.exit(commandLine().execute(args));
    }
}
