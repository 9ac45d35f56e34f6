package dev.distillation.operator.managed;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The annotations in which the cluster holds the operator's memory, written and read here only: on
 * a stage Pod, its fingerprint and {@link Attempt}; on a stage volume, the {@link RecordedResult} and
 * the Pods lost to disruptions.
 * A restarted operator rebuilds every stage's state from them. Reading never throws: a missing or
 * malformed value reads as its fallback (an unreadable result as none).
 */
public final class StageAnnotations {

    /** The stage fingerprint a Pod trains. */
    public static final String FINGERPRINT = "distillation.dev/fingerprint";
    public static final String ATTEMPT = "distillation.dev/attempt";
    public static final String FINGERPRINT_ATTEMPT = "distillation.dev/fingerprint-attempt";
    public static final String FAILURES_BEFORE = "distillation.dev/failures-before";

    /** On a stage volume: the fingerprint whose result is recorded below. */
    public static final String RESULT_FINGERPRINT = "distillation.dev/result-fingerprint";
    /** On a stage volume: the trainer's metrics (compact JSON) for {@link #RESULT_FINGERPRINT}. */
    public static final String RESULT_METRICS = "distillation.dev/result-metrics";
    public static final String RESULT_POD = "distillation.dev/result-pod";
    public static final String RESULT_ATTEMPTS = "distillation.dev/result-attempts";
    public static final String RESULT_FAILURES = "distillation.dev/result-failures";
    public static final String RESULT_START_TIME = "distillation.dev/result-start-time";
    public static final String RESULT_COMPLETION_TIME = "distillation.dev/result-completion-time";
    /** On a stage volume: the uid of the chain that recorded the result. */
    public static final String RESULT_CHAIN_UID = "distillation.dev/result-chain-uid";
    /** On a stage volume: when the recorded result was reused from an earlier chain, when that chain completed it. */
    public static final String RESULT_REUSED_FROM = "distillation.dev/result-reused-from";

    /**
     * On a stage volume: the Pods of one fingerprint lost to disruptions, as {@code <fingerprint> <pod> <pod> ...}.
     * Most disrupted Pods are deleted (preemption, API eviction, node loss), so the count lives here.
     */
    public static final String DISRUPTED_PODS = "distillation.dev/disrupted-pods";

    private StageAnnotations() {}

    // ---- stage Pods ---------------------------------------------------------------------------

    public static Map<String, String> ofPod(String fingerprint, Attempt attempt) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(FINGERPRINT, fingerprint);
        a.put(ATTEMPT, Integer.toString(attempt.number()));
        a.put(FINGERPRINT_ATTEMPT, Integer.toString(attempt.fingerprintAttempt()));
        a.put(FAILURES_BEFORE, Integer.toString(attempt.failuresBefore()));
        return a;
    }

    /** The fingerprint a Pod trains, or null. */
    public static String fingerprint(HasMetadata pod) {
        return annotations(pod).get(FINGERPRINT);
    }

    /** Which attempt a Pod is; without annotations, the number its name carries, first of its fingerprint, no failures before. */
    public static Attempt attempt(HasMetadata pod) {
        Map<String, String> a = annotations(pod);
        return new Attempt(
                parseInt(a.get(ATTEMPT), ObjectNames.attemptOfPod(pod.getMetadata().getName())),
                parseInt(a.get(FINGERPRINT_ATTEMPT), 1),
                parseInt(a.get(FAILURES_BEFORE), 0));
    }

    // ---- stage volumes ------------------------------------------------------------------------

    public static Map<String, String> ofResult(RecordedResult r) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(RESULT_FINGERPRINT, r.fingerprint());
        a.put(RESULT_METRICS, TrainerResult.toJson(r.metrics()));
        a.put(RESULT_POD, r.pod());
        a.put(RESULT_ATTEMPTS, Integer.toString(r.attempts()));
        a.put(RESULT_FAILURES, Integer.toString(r.failures()));
        if (r.startTime() != null) {
            a.put(RESULT_START_TIME, r.startTime());
        }
        if (r.completionTime() != null) {
            a.put(RESULT_COMPLETION_TIME, r.completionTime());
        }
        if (r.chainUid() != null) {
            a.put(RESULT_CHAIN_UID, r.chainUid());
        }
        if (r.reusedFrom() != null) {
            a.put(RESULT_REUSED_FROM, r.reusedFrom());
        }
        return a;
    }

    /** The result recorded on a volume, if it holds one with readable metrics. */
    public static Optional<RecordedResult> result(HasMetadata volume) {
        Map<String, String> a = annotations(volume);
        String fingerprint = a.get(RESULT_FINGERPRINT);
        TrainerResult metrics = TrainerResult.parse(a.get(RESULT_METRICS));
        if (fingerprint == null || !metrics.ok()) {
            return Optional.empty();
        }
        return Optional.of(new RecordedResult(fingerprint, metrics.metrics(), a.get(RESULT_POD),
                parseInt(a.get(RESULT_ATTEMPTS), 1), parseInt(a.get(RESULT_FAILURES), 0),
                a.get(RESULT_START_TIME), a.get(RESULT_COMPLETION_TIME), a.get(RESULT_CHAIN_UID), a.get(RESULT_REUSED_FROM)));
    }

    public static Map<String, String> ofDisruptedPods(String fingerprint, Collection<String> pods) {
        return Map.of(DISRUPTED_PODS, fingerprint + " " + String.join(" ", new TreeSet<>(pods)));
    }

    /** The Pods of {@code fingerprint} recorded on a volume as lost to disruptions; empty for another fingerprint. */
    public static Set<String> disruptedPods(HasMetadata volume, String fingerprint) {
        String value = annotations(volume).get(DISRUPTED_PODS);
        if (value == null || fingerprint == null) {
            return Set.of();
        }
        String[] words = value.strip().split("\\s+");
        if (!words[0].equals(fingerprint)) {
            return Set.of();
        }
        return new TreeSet<>(Arrays.asList(words).subList(1, words.length));
    }

    private static Map<String, String> annotations(HasMetadata object) {
        Map<String, String> a = object.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
