package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.distillation.api.job.StageJobTraining;
import dev.distillation.api.v1alpha1.LearningRateSchedule;
import dev.distillation.api.v1alpha1.TrainingSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rate of every step: the epoch's schedule times a linear warmup counted in steps from the start of training. */
class LearningRatesTest {

    @ParameterizedTest(name = "warmup {0} epochs, epoch {1} step {2} of {3}: x{4}")
    @CsvSource(textBlock = """
            # warmupEpochs, epoch, step, stepsPerEpoch, factor
            1.0,  1,   1, 100, 0.01
            1.0,  1,  50, 100, 0.5
            1.0,  1, 100, 100, 1.0
            1.0,  2,   1, 100, 1.0
            2.0,  2,  50, 100, 0.75
            0.5,  1,  25, 100, 0.5
            0.5,  1,  50, 100, 1.0
            0.0,  1,   1, 100, 1.0
            3.0,  1,   7,   7, 0.33333333
            """)
    void warmupFactor(double warmupEpochs, int epoch, long step, long steps, double factor) {
        StageJobTraining t = StageJobTraining.of(constant(0.1, warmupEpochs, 30));
        assertThat(LearningRates.forStep(t, epoch, step, steps)).isCloseTo(0.1 * factor, within(1e-9));
    }

    @ParameterizedTest(name = "cosine over {0} epochs, epoch {1}")
    @CsvSource(textBlock = """
            # epochs, epoch, rate of its last step (warmup over the first epoch)
            1, 1, 0.1
            2, 2, 0.05
            4, 4, 0.0146446609
            """)
    void theScheduleStillDecidesEachEpochsRateAfterTheWarmup(int epochs, int epoch, double rate) {
        TrainingSpec spec = constant(0.1, 1.0, epochs);
        spec.setLrSchedule(LearningRateSchedule.COSINE);
        StageJobTraining t = StageJobTraining.of(spec);
        assertThat(LearningRates.forStep(t, epoch, 100, 100)).isCloseTo(rate, within(1e-9));
        assertThat(LearningRates.forStep(t, epoch, 100, 100)).isCloseTo(LearningRates.forEpoch(t, epoch), within(1e-12));
    }

    private static TrainingSpec constant(double lr, double warmupEpochs, int epochs) {
        TrainingSpec t = TrainingSpec.DEFAULTS.copy();
        t.setLearningRate(lr);
        t.setLrSchedule(LearningRateSchedule.CONSTANT);
        t.setWarmupEpochs(warmupEpochs);
        t.setEpochs(epochs);
        return t;
    }
}
