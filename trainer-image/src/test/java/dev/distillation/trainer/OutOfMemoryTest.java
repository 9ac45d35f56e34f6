package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the user reads when the trainer runs out of memory, and which libtorch errors count as that. */
class OutOfMemoryTest {

    @Test
    void aFullHeapNamesItsSizeTheContainerLimitThePhaseAndTheFieldToRaise() {
        String m = OutOfMemory.message(new OutOfMemoryError("Java heap space"), "loading the dataset", 512L << 20,
                OptionalLong.of(1L << 30));
        assertThat(m).isEqualTo("out of memory while loading the dataset: the JVM heap (at most 512 MiB, of a 1.0 GiB container "
                + "memory limit) is full (java.lang.OutOfMemoryError: Java heap space); the same limit fails again: raise "
                + "spec.trainer.resources.memory (locally: the JVM's -Xmx in DISTILL_JAVA_OPTS), or lower training.batchSize");
    }

    @Test
    void libtorchFailingToAllocateIsOutOfMemoryToo() {
        String m = OutOfMemory.message(new ai.djl.engine.EngineException("DefaultCPUAllocator: can't allocate memory: you tried to "
                + "allocate 8589934592 bytes.\nException raised from ..."), "training stage teacher", 512L << 20, OptionalLong.empty());
        assertThat(m).startsWith("out of memory while training stage teacher: libtorch could not allocate memory (")
                .contains("can't allocate memory").contains("raise spec.trainer.resources.memory")
                .doesNotContain("Exception raised from");
        assertThat(OutOfMemory.failure(new OutOfMemoryError(), "x").exitCode()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            DefaultCPUAllocator: can't allocate memory: you tried to allocate 8 GB    | true
            CUDA out of memory. Tried to allocate 2.00 GiB                            | true
            [enforce fail at alloc_cpu.cpp:117] posix_memalign: Cannot allocate memory | true
            Expected all tensors to be on the same device                             | false
            shape '[128, 10]' is invalid for input of size 100                         | false
            """)
    void nativeAllocationFailures(String message, boolean outOfMemory) {
        assertThat(OutOfMemory.isNativeAllocationFailure(message)).isEqualTo(outOfMemory);
    }
}
