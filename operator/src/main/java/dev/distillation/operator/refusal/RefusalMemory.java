package dev.distillation.operator.refusal;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.validation.ValidationError;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The refusals the operator met while creating stages, and when each stage may try again: after
 * the n-th refusal in a row, {@link #FIRST_RETRY} doubled n-1 times, at most {@link #MAX_RETRY}. The
 * only state the operator keeps in memory: a restarted operator tries once at once, is refused
 * again, and starts counting anew. A stage that was created, or whose spec changed, is forgotten.
 */
@ApplicationScoped
public class RefusalMemory {

    public static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    public static final Duration MAX_RETRY = Duration.ofMinutes(5);
    /** Entries of chains that were deleted are dropped after this long. */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    /**
     * @param refusal     the last refusal
     * @param fingerprint the stage fingerprint it was refused for
     * @param count       refusals in a row
     * @param retryAt     when the stage may try again
     */
    public record Entry(Refusal refusal, String fingerprint, int count, Instant retryAt) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The stage's last refusal, if it was for {@code fingerprint}. */
    public Optional<Entry> get(String chainUid, String stage, String fingerprint) {
        return Optional.ofNullable(entries.get(key(chainUid, stage))).filter(e -> e.fingerprint().equals(fingerprint));
    }

    /** Records a refusal at {@code now} and returns the entry, with its retry time. */
    public Entry refused(String chainUid, String stage, String fingerprint, Refusal refusal, Instant now) {
        entries.values().removeIf(e -> e.retryAt().plus(FORGET_AFTER).isBefore(now));
        int count = get(chainUid, stage, fingerprint).map(e -> e.count() + 1).orElse(1);
        Entry entry = new Entry(refusal, fingerprint, count, now.plus(delay(count)));
        entries.put(key(chainUid, stage), entry);
        return entry;
    }

    public void created(String chainUid, String stage) {
        entries.remove(key(chainUid, stage));
    }

    /** The chain's stages whose next try is not due at {@code now}, each with its stage message. */
    public Map<String, String> held(DistillationChain chain, Map<String, String> fingerprints, Instant now) {
        Map<String, String> held = new LinkedHashMap<>();
        current(chain, fingerprints).forEach((stage, e) -> {
            if (e.retryAt().isAfter(now)) {
                held.put(stage, e.refusal().describe() + "; next try at " + e.retryAt().truncatedTo(ChronoUnit.SECONDS)
                        + " (refused " + e.count() + (e.count() == 1 ? " time)" : " times in a row)"));
            }
        });
        return held;
    }

    /** The refusals of the chain's stages that say its spec is at fault, as errors naming the field. */
    public List<ValidationError> specErrors(DistillationChain chain, Map<String, String> fingerprints) {
        return current(chain, fingerprints).values().stream().map(Entry::refusal).filter(Refusal::specError)
                .map(r -> new ValidationError(r.field() == null ? "spec" : r.field(),
                        "Kubernetes refused " + r.object() + " " + r.name() + " (" + r.reason() + "): " + r.message()))
                .toList();
    }

    /** How long until the chain's next due try, or null when none of its stages waits for one. */
    public Duration nextTry(DistillationChain chain, Map<String, String> fingerprints, Instant now) {
        return current(chain, fingerprints).values().stream().map(Entry::retryAt).min(Instant::compareTo)
                .map(at -> at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO).orElse(null);
    }

    private Map<String, Entry> current(DistillationChain chain, Map<String, String> fingerprints) {
        Map<String, Entry> result = new LinkedHashMap<>();
        fingerprints.forEach((stage, fp) -> get(chain.getMetadata().getUid(), stage, fp).ifPresent(e -> result.put(stage, e)));
        return result;
    }

    /** The wait after the {@code count}-th refusal in a row. */
    static Duration delay(int count) {
        Duration d = FIRST_RETRY;
        for (int i = 1; i < count && d.compareTo(MAX_RETRY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    private static String key(String chainUid, String stage) {
        return chainUid + "/" + stage;
    }
}
