package dev.distillation.operator.metrics;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.decision.Plan;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hand-off latency of a launch: from its teacher stage's completion (the trainer container's
 * finish time, whole seconds as Kubernetes records it) to the student's Pod being created now.
 * Counted only for a stage's very first Pod (attempt 1, not a retry): a re-run after a spec edit or
 * a retry would measure how long ago the teacher finished, not the operator's reaction. Stages
 * without a teacher have no hand-off.
 */
public final class HandOff {

    private HandOff() {}

    public static Optional<Duration> latency(DistillationChain chain, List<StageStatus> stages, Plan.Launch launch, Instant now) {
        if (launch.retryReason() != null || launch.attempt().number() != 1) {
            return Optional.empty();
        }
        String teacher = chain.getSpec().getStages().stream().filter(s -> s.getName().equals(launch.stage()))
                .map(StageSpec::getTeacher).filter(Objects::nonNull).findFirst().orElse(null);
        if (teacher == null) {
            return Optional.empty();
        }
        return stages.stream().filter(st -> teacher.equals(st.getName()) && st.getPhase() == StagePhase.Succeeded
                        && st.getCompletionTime() != null)
                .findFirst().flatMap(st -> parse(st.getCompletionTime()))
                .map(done -> done.isAfter(now) ? Duration.ZERO : Duration.between(done, now));
    }

    private static Optional<Instant> parse(String time) {
        try {
            return Optional.of(Instant.parse(time));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
