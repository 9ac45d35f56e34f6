package dev.distillation.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.metrics.StageSamples.Series;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageSamplesTest {

    static StageStatus stage(String name, StagePhase phase) {
        StageStatus st = new StageStatus();
        st.setName(name);
        st.setPhase(phase);
        return st;
    }

    static StageStatus succeeded(String name, Double accuracy) {
        StageStatus st = stage(name, StagePhase.Succeeded);
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(accuracy);
        st.setMetrics(m);
        return st;
    }

    static StageStatus running(String name, Integer epoch, Integer epochs, Double samplesPerSecond) {
        StageStatus st = stage(name, StagePhase.Running);
        StageProgress p = new StageProgress();
        p.setEpoch(epoch);
        p.setEpochs(epochs);
        p.setSamplesPerSecond(samplesPerSecond);
        p.setTestAccuracy(0.5);
        st.setProgress(p);
        return st;
    }

    @Test
    void succeededStagesShowTheirAccuracyAndRunningStagesTheirProgress() {
        Map<Series, Double> samples = StageSamples.of(List.of(
                succeeded("teacher", 0.912),
                running("assistant", 57, 200, 2210.0),
                stage("student", StagePhase.Waiting)));

        assertThat(samples).containsExactlyInAnyOrderEntriesOf(Map.of(
                new Series(StageSamples.ACCURACY, "teacher"), 0.912,
                new Series(StageSamples.EPOCH_FRACTION, "assistant"), 0.285,
                new Series(StageSamples.SAMPLES_PER_SECOND, "assistant"), 2210.0));
    }

    @Test
    void stagesWithoutAReadingHaveNoSample() {
        StageStatus runningWithoutProgress = stage("a", StagePhase.Running);
        StageStatus failedWithMetrics = succeeded("b", 0.3);
        failedWithMetrics.setPhase(StagePhase.Failed);
        StageStatus finishedStillCarryingProgress = running("c", 3, 3, 10.0);
        finishedStillCarryingProgress.setPhase(StagePhase.Succeeded);

        assertThat(StageSamples.of(List.of(runningWithoutProgress, failedWithMetrics, succeeded("d", null),
                finishedStillCarryingProgress))).isEmpty();
        assertThat(StageSamples.of(null)).isEmpty();
    }

    @Test
    void aPartialReadingGivesWhatItHas() {
        assertThat(StageSamples.of(List.of(running("a", 4, null, 99.0), running("b", 4, 0, null), running("c", 5, 4, null))))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        new Series(StageSamples.SAMPLES_PER_SECOND, "a"), 99.0,
                        new Series(StageSamples.EPOCH_FRACTION, "c"), 1.0));
    }
}
