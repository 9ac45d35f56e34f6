package dev.distillation.operator.observer;

import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.managed.StageAnnotations;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the operator reads one stage Pod: which attempt it is, and how it ended. Pure; the
 * annotations are decoded and the outcome classified once, when the view is made.
 *
 * <p>A Pod that failed because of the cluster (evicted, preempted, node lost or shut down, deleted
 * from outside, refused at admission) is a {@link Outcome#DISRUPTED disruption}: the stage gets a new
 * attempt that does not count against {@code backoffLimit}. Only the trainer's own failure counts,
 * and only a crash is retried ({@link TrainerFailure}).
 */
public final class PodView {

    /** pod.status.reason values that mean the cluster, not the trainer, ended the Pod. */
    static final Set<String> DISRUPTION_REASONS = Set.of(
            "Evicted", "Preempting", "Preempted", "NodeLost", "Terminated", "DeletionByTaintManager",
            "NodeShutdown", "Shutdown", "UnexpectedAdmissionError", "NodeAffinity", "OutOfcpu", "OutOfmemory",
            "OutOfpods", "OutOfephemeral-storage");

    public enum Outcome {
        /** Pending or Running. */
        ACTIVE,
        SUCCEEDED,
        /** The trainer crashed: a new attempt may succeed; counts against backoffLimit. */
        TRAINER_FAILED,
        /** The trainer failed in a way a new attempt repeats (bad input, training failed, out of memory): not retried. */
        FAILED_FOR_GOOD,
        /** The cluster ended it: a new attempt, not counted. */
        DISRUPTED
    }

    private final Pod pod;
    private final String fingerprint;
    private final Attempt attempt;
    private final Optional<TrainerFailure> failure;
    private final Outcome outcome;

    public PodView(Pod pod) {
        this.pod = pod;
        this.fingerprint = StageAnnotations.fingerprint(pod);
        this.attempt = StageAnnotations.attempt(pod);
        this.failure = terminated().filter(t -> "Failed".equals(phase())).map(t -> TrainerFailure.of(t, memoryLimit()));
        this.outcome = classify();
    }

    public String name() { return pod.getMetadata().getName(); }

    public String stage() {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(Labels.STAGE);
    }

    public String fingerprint() { return fingerprint; }

    public Attempt attempt() { return attempt; }

    public String phase() { return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase(); }

    public boolean deleting() { return pod.getMetadata().getDeletionTimestamp() != null; }

    /** The node the scheduler put the Pod on; null while it is not scheduled. */
    public String node() { return pod.getSpec() == null ? null : pod.getSpec().getNodeName(); }

    /** The PersistentVolumeClaims the Pod mounts. */
    public List<String> claims() {
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return List.of();
        }
        return pod.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
    }

    public String creationTimestamp() { return pod.getMetadata().getCreationTimestamp(); }

    public Outcome outcome() { return outcome; }

    private Outcome classify() {
        String phase = phase();
        if ("Succeeded".equals(phase)) {
            return Outcome.SUCCEEDED;
        }
        if (!"Failed".equals(phase)) {
            return Outcome.ACTIVE;
        }
        String reason = pod.getStatus().getReason();
        if (reason != null && DISRUPTION_REASONS.contains(reason)) {
            return Outcome.DISRUPTED;
        }
        if (deleting() || hasCondition("DisruptionTarget", "True")) {
            return Outcome.DISRUPTED;
        }
        // Failed without the trainer container ever terminating: the cluster, not the trainer.
        return failure.map(f -> f.retriable() ? Outcome.TRAINER_FAILED : Outcome.FAILED_FOR_GOOD).orElse(Outcome.DISRUPTED);
    }

    /** Whether the cluster took this Pod away: it ended by a disruption, or someone is deleting it while it runs. */
    public boolean lost() {
        return outcome == Outcome.DISRUPTED || (outcome == Outcome.ACTIVE && deleting());
    }

    /** Trainer failures up to and including this Pod. */
    public int failuresThrough() {
        return attempt.failuresBefore() + (outcome == Outcome.TRAINER_FAILED || outcome == Outcome.FAILED_FOR_GOOD ? 1 : 0);
    }

    /** The trainer container's memory limit as written in the Pod, or null. */
    private String memoryLimit() {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getResources() != null && c.getResources().getLimits() != null)
                .map(c -> c.getResources().getLimits().get("memory"))
                .filter(Objects::nonNull)
                .map(Quantity::toString)
                .findFirst().orElse(null);
    }

    /** The trainer container's terminated state, if it ended. */
    public Optional<ContainerStateTerminated> terminated() {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(ContainerState::getTerminated)
                .findFirst();
    }

    /** What the trainer wrote to its termination message (or the log tail on error). */
    public Optional<String> terminationMessage() {
        return terminated().map(ContainerStateTerminated::getMessage).filter(m -> !m.isBlank()).map(String::strip);
    }

    /** When the Pod finished: the container's finishedAt, else null. */
    public String finishedAt() {
        return terminated().map(ContainerStateTerminated::getFinishedAt).orElse(null);
    }

    /**
     * Why a Pending Pod is not running yet, for the stage message: the scheduler's reason
     * (PodScheduled=False) or the container's waiting reason (image pull errors and the like).
     */
    public Optional<String> pendingMessage() {
        Optional<String> unschedulable = unschedulableMessage();
        if (unschedulable.isPresent()) {
            return Optional.of("Unschedulable: " + unschedulable.get());
        }
        if (!"Pending".equals(phase()) || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getWaiting() != null && s.getWaiting().getReason() != null
                        && !"ContainerCreating".equals(s.getWaiting().getReason()))
                .map(s -> s.getWaiting().getReason()
                        + (s.getWaiting().getMessage() == null ? "" : ": " + s.getWaiting().getMessage()))
                .findFirst();
    }

    /** The scheduler's message when the Pod cannot be placed (PodScheduled=False). */
    public Optional<String> unschedulableMessage() {
        if (!"Pending".equals(phase()) || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(c -> c.getMessage() == null || c.getMessage().isBlank() ? String.valueOf(c.getReason()) : c.getMessage())
                .findFirst();
    }

    /** Why a Pod that did not succeed ended, in one line. */
    public String failureMessage() {
        if (outcome != Outcome.DISRUPTED && failure.isPresent()) {
            return failure.get().describe(name());
        }
        StringBuilder sb = new StringBuilder("pod ").append(name());
        String reason = pod.getStatus() == null ? null : pod.getStatus().getReason();
        if (outcome == Outcome.DISRUPTED) {
            sb.append(" was ").append(reason != null ? "ended by the cluster (" + reason + ")" : "ended by the cluster");
            String message = pod.getStatus() == null ? null : pod.getStatus().getMessage();
            if (message != null && !message.isBlank()) {
                sb.append(": ").append(message.strip());
            }
        } else {
            sb.append(" failed");
        }
        return sb.toString();
    }

    private boolean hasCondition(String type, String status) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (type.equals(c.getType()) && status.equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }
}
