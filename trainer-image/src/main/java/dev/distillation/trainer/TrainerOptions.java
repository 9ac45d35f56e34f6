package dev.distillation.trainer;

import java.nio.file.Path;

/**
 * How a {@link StageRunner} runs, as opposed to what it trains (the StageJob).
 *
 * @param device                 "auto" (a GPU when DJL sees one, else the CPU), "cpu" or "gpu"
 * @param threads                intra-op threads for libtorch on the CPU; null = the CPUs this JVM may use
 *                               (which follows the container's CPU limit)
 * @param terminationMessagePath where the final metrics go as compact JSON (Kubernetes' termination
 *                               message); null = nowhere
 */
public record TrainerOptions(String device, Integer threads, Path terminationMessagePath) {

    public TrainerOptions {
        if (device == null) {
            device = "auto";
        }
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + device + "'");
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** auto device, threads from the CPU limit, no termination message. */
    public static TrainerOptions defaults() {
        return new TrainerOptions("auto", null, null);
    }

    /** The threads to use: {@link #threads()} or the available processors. */
    public int effectiveThreads() {
        return threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
