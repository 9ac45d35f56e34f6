package dev.distillation.operator.decision;

/**
 * An event about a stage, to be recorded on the chain.
 *
 * @param key a stable name for this occurrence (e.g. {@code <pod>.started}): recording the same key
 *            twice records one event, so restarts and repeated reconciles do not repeat events
 */
public record StageEvent(Type type, String reason, String stage, String key, String message) {

    public enum Type { Normal, Warning }

    public static final String STARTED = "StageStarted";
    public static final String SUCCEEDED = "StageSucceeded";
    public static final String FAILED = "StageFailed";
    public static final String RETRYING = "StageRetrying";
    public static final String UNSCHEDULABLE = "Unschedulable";
    public static final String INVALID_SPEC = "InvalidSpec";
}
