package dev.distillation.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What the user is told when the trainer runs out of memory: the JVM's heap (an
 * {@link OutOfMemoryError}) or libtorch's allocator (an engine error saying it cannot allocate).
 * Neither is helped by running the same stage again with the same memory, so both end the stage
 * with exit code 3 (out of memory, not retried) and a message naming the limits in force and the
 * field to raise.
 */
public final class OutOfMemory {

    /** The container's memory limit, cgroup v2 then v1. */
    private static final List<Path> CGROUP_LIMITS = List.of(Path.of("/sys/fs/cgroup/memory.max"),
            Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    /** cgroup v1 reports "no limit" as a number close to Long.MAX_VALUE. */
    private static final long NO_LIMIT = 1L << 60;

    private OutOfMemory() {}

    /** Whether a libtorch error message says that an allocation failed. */
    public static boolean isNativeAllocationFailure(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("can't allocate memory") || m.contains("cannot allocate memory") || m.contains("out of memory");
    }

    /** The failure for running out of memory {@code during} a phase ("loading the dataset", "training stage teacher"). */
    public static TrainerException failure(Throwable cause, String during) {
        return new TrainerException(TrainerException.OUT_OF_MEMORY,
                message(cause, during, Runtime.getRuntime().maxMemory(), containerLimit()), cause);
    }

    static String message(Throwable cause, String during, long maxHeap, OptionalLong containerLimit) {
        boolean heap = cause instanceof OutOfMemoryError;
        String what = heap
                ? "the JVM heap (at most " + mib(maxHeap) + containerLimit.stream().mapToObj(l -> ", of a " + mib(l) + " container memory limit")
                        .findFirst().orElse("") + ") is full"
                : "libtorch could not allocate memory" + containerLimit.stream().mapToObj(l -> " (container memory limit " + mib(l) + ")")
                        .findFirst().orElse("");
        return "out of memory while " + during + ": " + what + " (" + ModelFiles.firstLine(String.valueOf(cause)) + "); "
                + "the same limit fails again: raise spec.trainer.resources.memory (locally: the JVM's -Xmx in DISTILL_JAVA_OPTS), "
                + "or lower training.batchSize";
    }

    /** The memory limit of the cgroup this process runs in, when it has one. */
    static OptionalLong containerLimit() {
        for (Path p : CGROUP_LIMITS) {
            try {
                String v = Files.readString(p).strip();
                if (!v.isEmpty() && !v.equals("max")) {
                    long bytes = Long.parseLong(v);
                    return bytes > 0 && bytes < NO_LIMIT ? OptionalLong.of(bytes) : OptionalLong.empty();
                }
            } catch (IOException | NumberFormatException | SecurityException ignored) {
                // not this cgroup version, or not readable: try the next
            }
        }
        return OptionalLong.empty();
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)) : (bytes >> 20) + " MiB";
    }
}
