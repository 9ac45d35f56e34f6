package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobModel;
import dev.distillation.api.job.StageJobTraining;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.trainer.EpochResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The line an epoch leaves on a terminal without progress bars (a log file, CI). */
class ProgressReporterTest {

    private static String epochLine(EpochResult r) {
        StringWriter log = new StringWriter();
        ProgressReporter reporter = new ProgressReporter(new PrintWriter(log, true), false);
        reporter.onStart(new StageJob(StageJob.API_VERSION, "c", "s", "sha256:x", new StageJobModel(Architecture.PLAIN_CNN, 2, null),
                StageJobTraining.of(TrainingSpec.DEFAULTS), new StageJob.DatasetLocation("fashion-mnist", "idx", null), null, null,
                "/out", null), 1, 3, 10);
        reporter.onEpoch(r);
        return log.toString();
    }

    @Test
    void anEpochShowsItsValidationAccuracyOnlyWhenTheChainHoldsOutASplit() {
        assertThat(epochLine(new EpochResult(1, 0.5, 0.8, 0.4, 0.861, 0.1, 2.0, 500)))
                .contains("s epoch 1/3: train loss 0.500, test acc 86.10%, loss 0.400, 2.0s, 500 img/s").doesNotContain("val acc");
        assertThat(epochLine(new EpochResult(1, 0.5, 0.8, 0.4, 0.861, 0.1, 2.0, 500, 0.35, 0.8765)))
                .contains("s epoch 1/3: train loss 0.500, val acc 87.65%, test acc 86.10%, loss 0.400, 2.0s");
    }
}
