package dev.distillation.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Ends the trainer when its container's memory stays full. On a real kubelet (cgroup v1, no swap)
 * a trainer whose anonymous memory reached the container's limit was not killed: the kernel kept
 * evicting and re-reading its code pages, and the stage ran on for good at a fraction of a CPU
 * (600Mi, 4096 images per step: anonymous memory 7.7 MiB under the limit, memory.failcnt in the
 * millions, no OOM kill after minutes). The watch reads the container's memory cgroup once a
 * second and, when anonymous memory has stayed within {@value #MARGIN_MIB} MiB of the limit for
 * {@value #FULL_SECONDS} seconds in a row, reports it and ends the process.
 */
final class MemoryLimitWatch {

    static final int MARGIN_MIB = 16;
    static final int FULL_SECONDS = 10;
    private static final long MIB = 1024 * 1024;
    /** cgroup v1 reports "no limit" as about 8 EiB. */
    private static final long NO_LIMIT = 1L << 60;

    /** The container's memory limit and the anonymous memory charged to it, in bytes. */
    record Reading(long limit, long anonymous) {
        boolean full() {
            return anonymous >= limit - MARGIN_MIB * MIB;
        }
    }

    private int fullInARow;

    /** Takes one reading; true when memory has now been full for {@value #FULL_SECONDS} readings in a row. */
    boolean stuck(Reading r) {
        fullInARow = r.full() ? fullInARow + 1 : 0;
        return fullInARow >= FULL_SECONDS;
    }

    /**
     * The memory cgroup at {@code root} (a container's /sys/fs/cgroup): v2 {@code memory.max} and
     * {@code memory.stat} "anon", or v1 {@code memory/memory.limit_in_bytes} and "total_rss". Empty
     * without a limit, or when neither is readable.
     */
    static Optional<Reading> read(Path root) {
        try {
            Path v2 = root.resolve("memory.max");
            if (Files.isReadable(v2)) {
                return reading(Files.readString(v2).strip(), stat(root.resolve("memory.stat"), "anon"));
            }
            Path v1 = root.resolve("memory");
            if (Files.isReadable(v1.resolve("memory.limit_in_bytes"))) {
                return reading(Files.readString(v1.resolve("memory.limit_in_bytes")).strip(), stat(v1.resolve("memory.stat"), "total_rss"));
            }
        } catch (IOException | RuntimeException e) {
            // no readable cgroup: nothing to watch
        }
        return Optional.empty();
    }

    private static Optional<Reading> reading(String limit, long anonymous) {
        if (!limit.matches("\\d+") || Long.parseLong(limit) >= NO_LIMIT || anonymous < 0) {
            return Optional.empty();
        }
        return Optional.of(new Reading(Long.parseLong(limit), anonymous));
    }

    private static long stat(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).strip());
            }
        }
        return -1;
    }

    static String message(Reading r) {
        return String.format("out of memory: the trainer's memory has filled the container's limit of %dMi for %d s"
                        + " (the kernel evicts the trainer's code instead of ending it); raise spec.trainer.resources.memory",
                r.limit() / MIB, FULL_SECONDS);
    }

    /**
     * Starts watching /sys/fs/cgroup in a daemon thread when the process has a memory limit; on a
     * stuck reading hands the message to {@code report} and halts the JVM with {@code exitCode}
     * (a normal exit would need the memory it cannot get).
     */
    static void start(Consumer<String> report, int exitCode) {
        Path root = Path.of("/sys/fs/cgroup");
        if (read(root).isEmpty()) {
            return;
        }
        MemoryLimitWatch watch = new MemoryLimitWatch();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                Optional<Reading> r = read(root);
                if (r.isPresent() && watch.stuck(r.get())) {
                    report.accept(message(r.get()));
                    Runtime.getRuntime().halt(exitCode);
                }
            }
        }, "memory-limit-watch");
        t.setDaemon(true);
        t.start();
    }
}
