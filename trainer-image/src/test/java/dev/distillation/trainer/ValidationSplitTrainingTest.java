package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage that holds out a validation split of the committed Fashion-MNIST sample (800 training, 300 test images). */
class ValidationSplitTrainingTest {

    static final StageRunner TRAINER = new StageRunner(new TrainerOptions("cpu", 2, null));
    static final int HELD_OUT = 200;

    @TempDir
    Path work;

    @Test
    void trainsOnTheRestAndReportsValidationAndTestAccuracyEveryEpoch() throws Exception {
        Path out = work.resolve("split");
        StageJob job = TestData.withValidation(TestData.job("split", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(2), null, null), HELD_OUT, 1);

        StageMetrics m = TRAINER.run(job, null);

        MetricsFile mf = Json.read(out.resolve("metrics.json"), MetricsFile.class);
        assertThat(mf.trainSamples()).isEqualTo(TestData.SAMPLE_TRAIN - HELD_OUT);
        assertThat(mf.validationSamples()).isEqualTo(HELD_OUT);
        assertThat(mf.testSamples()).isEqualTo(TestData.SAMPLE_TEST);
        assertThat(mf.epochs()).hasSize(2).allSatisfy(e -> {
            // accuracies are counts over 200 validation and 300 test images
            assertThat(e.validationAccuracy() * HELD_OUT).isCloseTo(Math.rint(e.validationAccuracy() * HELD_OUT), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(e.testAccuracy() * TestData.SAMPLE_TEST).isCloseTo(Math.rint(e.testAccuracy() * TestData.SAMPLE_TEST), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(e.validationLoss()).isPositive().isFinite();
        });
        EpochResult last = mf.epochs().get(1);
        assertThat(m.getValidationAccuracy()).isEqualTo(last.validationAccuracy()).isGreaterThan(0.3);
        assertThat(m.getValidationLoss()).isEqualTo(last.validationLoss());
        assertThat(m.getTestAccuracy()).isEqualTo(last.testAccuracy());
        assertThat(mf.finalMetrics()).isEqualTo(m);
    }

    @Test
    void aStageWithoutSplitReportsNoValidationAndTrainsOnEveryImage() throws Exception {
        Path out = work.resolve("plain");
        StageMetrics m = TRAINER.run(TestData.job("plain", TestData.sample(), out, TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(1), null, null), null);

        MetricsFile mf = Json.read(out.resolve("metrics.json"), MetricsFile.class);
        assertThat(m.getValidationAccuracy()).isNull();
        assertThat(mf.trainSamples()).isEqualTo(TestData.SAMPLE_TRAIN);
        assertThat(mf.validationSamples()).isNull();
        assertThat(java.nio.file.Files.readString(out.resolve("metrics.json"))).doesNotContain("validation");
    }

    @Test
    void aSplitLeavingFewerThanTwoTrainingImagesIsBadInputNamingTheField() {
        StageJob job = TestData.withValidation(TestData.job("greedy", TestData.sample(), work.resolve("greedy"),
                TestData.model(Architecture.PLAIN_CNN, 2), TestData.training(1), null, null), TestData.SAMPLE_TRAIN - 1, 1);

        assertThatThrownBy(() -> TRAINER.run(job, null))
                .isInstanceOfSatisfying(TrainerException.class, e -> assertThat(e.exitCode()).isEqualTo(TrainerException.BAD_INPUT))
                .hasMessageContaining("validation.size 799 leaves 1 of the 800 training images");
    }
}
