package dev.distillation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.cli.MemoryLimitWatch.Reading;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryLimitWatchTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void readsCgroupV1AsAContainerSeesIt(@TempDir Path root) throws Exception {
        // the readings of the stuck trainer on the real e2e node
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "629145600\n");
        Files.writeString(root.resolve("memory/memory.stat"), "cache 4460544\nrss 621080576\ntotal_cache 4460544\ntotal_rss 621080576\n");

        assertThat(MemoryLimitWatch.read(root)).contains(new Reading(629145600L, 621080576L));
        assertThat(MemoryLimitWatch.read(root).orElseThrow().full()).isTrue();
    }

    @Test
    void readsCgroupV2(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("memory.max"), "1073741824\n");
        Files.writeString(root.resolve("memory.stat"), "anon 314572800\nfile 52428800\n");

        assertThat(MemoryLimitWatch.read(root)).contains(new Reading(1073741824L, 314572800L));
    }

    @Test
    void noLimitMeansNothingToWatch(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("memory.max"), "max\n");
        Files.writeString(root.resolve("memory.stat"), "anon 1\n");
        assertThat(MemoryLimitWatch.read(root)).isEmpty();

        Path v1 = Files.createDirectories(root.resolve("v1/memory"));
        Files.writeString(v1.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(v1.resolve("memory.stat"), "total_rss 1\n");
        assertThat(MemoryLimitWatch.read(root.resolve("v1"))).isEmpty();
        assertThat(MemoryLimitWatch.read(root.resolve("nowhere"))).isEmpty();
    }

    @Test
    void fullMeansWithinTheMarginOfTheLimit() {
        long limit = 600 * MIB;
        assertThat(new Reading(limit, limit - MemoryLimitWatch.MARGIN_MIB * MIB).full()).isTrue();
        assertThat(new Reading(limit, limit - MemoryLimitWatch.MARGIN_MIB * MIB - 1).full()).isFalse();
    }

    @Test
    void stuckOnlyAfterTheWholeWindowFullInARow() {
        MemoryLimitWatch watch = new MemoryLimitWatch();
        Reading full = new Reading(600 * MIB, 595 * MIB);
        Reading room = new Reading(600 * MIB, 400 * MIB);

        for (int i = 1; i < MemoryLimitWatch.FULL_SECONDS; i++) {
            assertThat(watch.stuck(full)).as("reading %d", i).isFalse();
        }
        assertThat(watch.stuck(room)).as("a reading with room starts the count again").isFalse();
        for (int i = 1; i < MemoryLimitWatch.FULL_SECONDS; i++) {
            assertThat(watch.stuck(full)).isFalse();
        }
        assertThat(watch.stuck(full)).isTrue();
    }

    @Test
    void messageNamesTheLimitAndTheField() {
        assertThat(MemoryLimitWatch.message(new Reading(600 * MIB, 595 * MIB)))
                .startsWith("out of memory:").contains("limit of 600Mi").contains("raise spec.trainer.resources.memory");
    }
}
