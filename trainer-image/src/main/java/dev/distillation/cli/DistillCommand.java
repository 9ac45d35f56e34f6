package dev.distillation.cli;

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
        System.exit(commandLine().execute(args));
    }
}
