package dev.distillation.operator.progress;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.status.Percent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Puts what the trainers reported on the stages that run them. Pure. */
public final class LiveProgress {

    private LiveProgress() {}

    /**
     * Sets {@code progress} on every Running stage whose current Pod reported one, and clears it on
     * every other stage (a reading of an earlier attempt's Pod describes nothing that runs now).
     *
     * @return {@code stages}, changed in place
     */
    public static List<StageStatus> attach(List<StageStatus> stages, Collection<ProgressReading> readings) {
        Map<String, ProgressReading> byPod = readings.stream()
                .collect(Collectors.toMap(ProgressReading::pod, Function.identity(), (a, b) -> a));
        for (StageStatus stage : stages) {
            ProgressReading reading = stage.getPhase() == StagePhase.Running && stage.getPod() != null ? byPod.get(stage.getPod()) : null;
            stage.setProgress(reading != null && Objects.equals(reading.stage(), stage.getName()) && reading.progress().getEpochs() != null
                    ? reading.progress() : null);
        }
        return stages;
    }

    /**
     * One line for the printer column: each stage with progress, its epochs done out of all and its
     * latest test accuracy, e.g. {@code teacher 57/200 71.2%}; null when no stage reports progress.
     */
    public static String summary(List<StageStatus> stages) {
        String line = stages.stream().filter(s -> s.getProgress() != null).map(LiveProgress::describe)
                .collect(Collectors.joining(", "));
        return line.isEmpty() ? null : line;
    }

    private static String describe(StageStatus stage) {
        StageProgress p = stage.getProgress();
        String epochs = stage.getName() + " " + (p.getEpoch() == null ? 0 : p.getEpoch()) + "/" + p.getEpochs();
        return p.getTestAccuracy() == null ? epochs : epochs + " " + Percent.of(p.getTestAccuracy());
    }
}
