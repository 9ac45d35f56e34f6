package dev.distillation.operator.decision;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.operator.status.Percent;

/** What a stage's status message and its events say, one method per situation. */
final class StageMessages {

    private StageMessages() {}

    // ---- status messages ----------------------------------------------------------------------

    static String podBeingDeleted(String pod) {
        return "pod " + pod + " is being deleted";
    }

    static String failedAfter(int attempts, int backoffLimit, String failure) {
        return "failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + " (backoffLimit " + backoffLimit + "): " + failure;
    }

    /** The trainer failed in a way a new attempt would repeat ({@code failure} says which). */
    static String failedNotRetried(String failure) {
        return "failed, not retried: " + failure;
    }

    static String lostToDisruptions(int lost, int disruptionLimit, String last) {
        return "lost " + lost + " Pods to disruptions (eviction, preemption, node loss or deletion), more than disruptionLimit "
                + disruptionLimit + "; the last: " + last;
    }

    static String podGone(String pod) {
        return "pod " + pod + " was deleted";
    }

    static String exitedWithoutMetrics(String pod, String error) {
        return "pod " + pod + " exited successfully but " + error;
    }

    /** {@code teacherPhase} is Failed or Skipped. */
    static String teacherNotRun(String teacher, StagePhase teacherPhase) {
        return "not run: teacher stage '" + teacher + "' " + (teacherPhase == StagePhase.Failed ? "failed" : "was skipped");
    }

    /** A result an earlier chain of the same name left on the stage's volume, not yet checked by this chain's trainer. */
    static String checkingKeptResult(String volume, String completedAt) {
        return "volume " + volume + " holds this stage's result from an earlier chain of this name (completed "
                + (completedAt == null ? "at an unknown time" : completedAt) + "): its trainer checks the files before it is reused";
    }

    /** The trainer found the kept result intact: reused, not trained again. */
    static String reused(String volume, String completedAt) {
        return "reused the result an earlier chain of this name completed at " + completedAt + ", kept on volume " + volume
                + " (its trainer checked the fingerprint and checksums)";
    }

    static String retryingAfter(String failure) {
        return "retrying after " + failure;
    }

    static String chainFailed(String failedStage) {
        return "not run: the chain failed (stage '" + failedStage + "' failed)";
    }

    static String waitingForTeacher(String teacher) {
        return "waiting for teacher stage '" + teacher + "'";
    }

    static String suspended() {
        return "chain is suspended: no new Pods start until spec.suspend is false";
    }

    static String waitingForStalePods() {
        return "waiting for the Pods of the stage's previous spec to stop";
    }

    static String waitingForSlot(long active, int parallelism) {
        return "waiting for a free slot: " + active + " of " + parallelism + " stages running (spec.parallelism)";
    }

    // ---- event messages -----------------------------------------------------------------------

    static String unschedulable(String stage, String pod, String reason) {
        return "stage " + stage + ": pod " + pod + " cannot be scheduled: " + reason;
    }

    /** {@code message} is the stage's status message (what {@link #failedAfter} says). */
    static String failed(String stage, String message) {
        return "stage " + stage + " " + message;
    }

    /** {@code message} is the stage's status message (what {@link #exitedWithoutMetrics} says). */
    static String failedWithoutMetrics(String stage, String message) {
        return "stage " + stage + ": " + message;
    }

    static String succeeded(String stage, Double testAccuracy) {
        return "stage " + stage + " succeeded: test accuracy " + Percent.of(testAccuracy);
    }

    /** {@code message} is the stage's status message (what {@link #retryingAfter} says). */
    static String retrying(String stage, String message) {
        return "stage " + stage + " " + message;
    }

    static String started(String stage, String pod, int fingerprintAttempt, Plan.RetryReason reason, int failures, int backoffLimit) {
        String why = reason == null ? "" : reason == Plan.RetryReason.TrainerFailure
                ? " (retry " + failures + " of " + backoffLimit + ")"
                : " (not counted: the previous Pod was lost to a disruption)";
        return "stage " + stage + " started: pod " + pod + ", attempt " + fingerprintAttempt + why;
    }
}
