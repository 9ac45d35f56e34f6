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
    public static final String POLICY_VIOLATION = "PolicyViolation";
    public static final String REFUSED = "RefusedByKubernetes";
    public static final String CANDIDATE_CHOSEN = "CandidateChosen";

    static StageEvent started(String stage, String pod, String message) {
        return new StageEvent(Type.Normal, STARTED, stage, pod + ".started", message);
    }

    static StageEvent succeeded(String stage, String pod, String message) {
        return new StageEvent(Type.Normal, SUCCEEDED, stage, pod + ".succeeded", message);
    }

    static StageEvent failed(String stage, String pod, String message) {
        return new StageEvent(Type.Warning, FAILED, stage, pod + ".failed", message);
    }

    static StageEvent retrying(String stage, String pod, String message) {
        return new StageEvent(Type.Warning, RETRYING, stage, pod + ".retrying", message);
    }

    static StageEvent unschedulable(String stage, String pod, String message) {
        return new StageEvent(Type.Warning, UNSCHEDULABLE, stage, pod + ".unschedulable", message);
    }

    /** One per choice: keyed by the chosen candidate's fingerprint, so a stage that chooses again records it again. */
    static StageEvent candidateChosen(String stage, String fingerprint, String message) {
        return new StageEvent(Type.Normal, CANDIDATE_CHOSEN, stage, stage + ".chose-" + fingerprint, message);
    }

    /** One per spec generation: nothing was started for it. */
    public static StageEvent invalidSpec(Long generation, String message) {
        return new StageEvent(Type.Warning, INVALID_SPEC, null, "invalid-g" + generation, "invalid spec, nothing was started: " + message);
    }

    /** One per spec generation: the chain asks for what the operator's policy does not allow. */
    public static StageEvent policyViolation(Long generation, String message) {
        return new StageEvent(Type.Warning, POLICY_VIOLATION, null, "policy-g" + generation,
                "outside the operator's policy, nothing was started: " + message);
    }

    /** One per refused Pod name: the API server refused the stage's Pod or volume. */
    public static StageEvent refused(String stage, String pod, String message) {
        return new StageEvent(Type.Warning, REFUSED, stage, pod + ".refused", message);
    }
}
