package dev.distillation.operator.decision;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import io.fabric8.kubernetes.api.model.Event;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Pending stage whose Pod cannot get its volumes says so: the latest FailedAttachVolume or
 * FailedMount Warning event of the stage's current Pod becomes the stage message (e.g. a
 * Multi-Attach error), instead of a Pending stage with no reason. Pure.
 */
public final class VolumeTrouble {

    /** The kubelet's and the attach-detach controller's reasons for a volume a Pod cannot use. */
    public static final Set<String> REASONS = Set.of("FailedAttachVolume", "FailedMount");

    private VolumeTrouble() {}

    /** @return {@code stages}, with the message of each Pending stage whose Pod has volume trouble replaced */
    public static List<StageStatus> attach(List<StageStatus> stages, Collection<Event> events) {
        for (StageStatus stage : stages) {
            if (stage.getPhase() == StagePhase.Pending && stage.getPod() != null) {
                latest(stage.getPod(), events).ifPresent(e -> stage.setMessage(e.getReason() + ": " + e.getMessage()));
            }
        }
        return stages;
    }

    static Optional<Event> latest(String pod, Collection<Event> events) {
        return events.stream()
                .filter(e -> REASONS.contains(e.getReason()))
                .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
                        && Objects.equals(pod, e.getInvolvedObject().getName()))
                .max(Comparator.comparing(VolumeTrouble::when));
    }

    /** When the event last happened, as RFC 3339 text (which sorts in time order at one precision). */
    private static String when(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        return Objects.requireNonNullElse(e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp(), "");
    }
}
