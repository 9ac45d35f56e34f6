package dev.distillation.operator.managed;

import dev.distillation.api.v1alpha1.StageMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A stage's result as recorded on its volume, so that it outlives the stage's Pods.
 *
 * @param fingerprint    the fingerprint the result belongs to
 * @param metrics        what the trainer reported
 * @param pod            the Pod that produced it
 * @param attempts       Pods created for the fingerprint
 * @param failures       trainer failures among them
 * @param startTime      when the first Pod was created (RFC 3339), or null
 * @param completionTime when the trainer finished (RFC 3339), or null
 * @param chainUid       the uid of the chain that recorded it; null when an operator that did not record it did
 * @param reusedFrom     when the result was not trained by that chain but reused from an earlier one: the time
 *                       that earlier chain completed it (RFC 3339); else null
 */
public record RecordedResult(String fingerprint, StageMetrics metrics, String pod, int attempts, int failures,
                             String startTime, String completionTime, String chainUid, String reusedFrom) {

    /**
     * Whether the chain with {@code uid} recorded this result itself. A result recorded by another chain
     * (an earlier chain of the same name, whose volume outlived it) is not trusted before the trainer
     * has checked the volume's files.
     */
    public boolean recordedBy(String uid) {
        return uid != null && uid.equals(chainUid);
    }

    /** Seconds from start to completion, or null when either is unknown. */
    public Double durationSeconds() {
        if (startTime == null || completionTime == null) {
            return null;
        }
        try {
            return Duration.between(Instant.parse(startTime), Instant.parse(completionTime)).toMillis() / 1000.0;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
