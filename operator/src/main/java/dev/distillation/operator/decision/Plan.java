package dev.distillation.operator.decision;

import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.managed.RecordedResult;
import java.util.List;
import java.util.Set;

/**
 * What the planner decided for one chain: every stage's state and what to change in the cluster.
 *
 * @param stages          every stage's status, in spec order, as it will be once the actions are applied
 * @param volumesToCreate stages whose checkpoint volume is missing
 * @param launches        stage Pods to create
 * @param podsToDelete    names of stale Pods (their stage's fingerprint changed, or the stage is gone)
 * @param results         results to record durably on stage volumes
 * @param disruptions     Pods lost to disruptions, to record on stage volumes
 * @param events          events to record on the chain
 */
public record Plan(List<StageStatus> stages, List<String> volumesToCreate, List<Launch> launches,
                   List<String> podsToDelete, List<ResultRecord> results, List<DisruptionRecord> disruptions, List<StageEvent> events) {

    /**
     * Create attempt {@code attempt} of {@code stage}. {@code retryReason} is null for a first attempt;
     * {@code node} is where it must start (a ReadWriteOnce volume it mounts is in use there), null: anywhere.
     */
    public record Launch(String stage, String fingerprint, Attempt attempt, RetryReason retryReason, String node) {}

    public enum RetryReason { TrainerFailure, Disruption }

    /** A stage's result to record on its volume, so that it outlives the stage's Pods. */
    public record ResultRecord(String stage, String volume, RecordedResult result) {}

    /** Every Pod of a stage's fingerprint lost to disruptions so far, to record on its volume. */
    public record DisruptionRecord(String stage, String volume, String fingerprint, Set<String> pods) {}
}
