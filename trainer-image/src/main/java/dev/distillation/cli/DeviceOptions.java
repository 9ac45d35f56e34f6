package dev.distillation.cli;

import dev.distillation.trainer.TrainerOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --device} and {@code --threads} options that {@code distill train} and {@code distill run} share (a picocli mixin). */
public final class DeviceOptions {

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto",
            description = "Where to train: auto (a GPU when PyTorch sees one, else the CPU), cpu or gpu. Training uses every GPU "
                    + "PyTorch sees, data parallel when there are several (CUDA_VISIBLE_DEVICES limits them). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads for PyTorch (default: the CPUs this process may use, which follows a container's CPU limit).")
    Integer threads;

    /** The trainer's options; throws IllegalArgumentException naming the bad value. */
    public TrainerOptions trainerOptions(Path terminationMessage) {
        return new TrainerOptions(device, threads, terminationMessage);
    }
}
