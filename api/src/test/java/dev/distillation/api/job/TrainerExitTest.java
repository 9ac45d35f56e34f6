package dev.distillation.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrainerExitTest {

    @Test
    void codesAreThoseOfTheContractAndOnlyACrashIsRetried() {
        assertThat(Arrays.stream(TrainerExit.values()).map(e -> e.code() + " " + e + " " + (e.retriable() ? "retry" : "no-retry")))
                .containsExactly("0 COMPLETED retry", "1 CRASHED retry", "2 BAD_INPUT no-retry", "3 OUT_OF_MEMORY no-retry",
                        "4 TRAINING_FAILED no-retry");
        assertThat(TrainerExit.ofCode(2)).contains(TrainerExit.BAD_INPUT);
        assertThat(TrainerExit.ofCode(137)).as("a signal is no code of the trainer's").isEmpty();
    }
}
