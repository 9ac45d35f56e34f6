package dev.distillation.operator.refusal;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's refusal to create a stage's Pod or volume, read for the user: which field of
 * the chain it is about (when that can be told) and Kubernetes' own reason. Invalid (422) and bad
 * request (400) mean the spec produced an object Kubernetes does not accept: a spec error. A
 * Forbidden refusal comes from the cluster (a quota, a LimitRange, an admission policy or webhook,
 * a PriorityClass that does not exist): it may pass later, so the stage waits and tries again. Pure.
 *
 * @param object  "pod" or "volume"
 * @param name    the object's name
 * @param code    the HTTP status code
 * @param reason  Kubernetes' reason (Invalid, Forbidden, ...)
 * @param message Kubernetes' message, one line
 * @param field   the chain's field the refusal is about, or null
 */
public record Refusal(String object, String name, int code, String reason, String message, String field) {

    public static final String POD = "pod";
    public static final String VOLUME = "volume";

    /** Where a field of a stage Pod or volume comes from in the chain, longest prefix first. */
    private static final List<Map.Entry<String, String>> POD_FIELDS = List.of(
            Map.entry("spec.containers[0].image", "spec.trainer.image"),
            Map.entry("spec.containers[0].resources", "spec.trainer.resources"),
            Map.entry("spec.nodeSelector", "spec.trainer.nodeSelector"),
            Map.entry("spec.tolerations", "spec.trainer.tolerations"),
            Map.entry("spec.priorityClassName", "spec.trainer.priorityClassName"),
            Map.entry("spec.priority", "spec.trainer.priorityClassName"),
            Map.entry("metadata.labels", "metadata.labels"));
    private static final List<Map.Entry<String, String>> VOLUME_FIELDS = List.of(
            Map.entry("spec.resources", "spec.storage.size"),
            Map.entry("spec.storageClassName", "spec.storage.storageClassName"));
    /** Words of Kubernetes' admission messages that name what a Forbidden refusal is about. */
    private static final List<Map.Entry<String, String>> POD_WORDS = List.of(
            Map.entry("priorityclass", "spec.trainer.priorityClassName"),
            Map.entry("memory", "spec.trainer.resources.memory"),
            Map.entry("cpu", "spec.trainer.resources.cpu"));
    private static final List<Map.Entry<String, String>> VOLUME_WORDS = List.of(
            Map.entry("requests.storage", "spec.storage.size"),
            Map.entry("storageclass", "spec.storage.storageClassName"),
            Map.entry("storage", "spec.storage.size"));

    /** Reads the API server's Status (null when the client saw none) for {@code object} {@code name}. */
    public static Refusal of(String object, String name, int code, Status status, String clientMessage) {
        String message = status != null && status.getMessage() != null ? status.getMessage() : String.valueOf(clientMessage);
        String reason = status != null && status.getReason() != null ? status.getReason() : "HTTP " + code;
        List<StatusCause> causes = status == null || status.getDetails() == null || status.getDetails().getCauses() == null
                ? List.of() : status.getDetails().getCauses();
        String field = causes.stream().map(StatusCause::getField).map(f -> chainField(object, f)).flatMap(Optional::stream)
                .findFirst().orElseGet(() -> fieldNamedBy(object, message).orElse(null));
        return new Refusal(object, name, code, reason, message.strip().replaceAll("\\s*\\R\\s*", " "), field);
    }

    /** Whether the spec itself is at fault (Invalid, BadRequest), rather than the cluster's rules. */
    public boolean specError() {
        return code == 422 || code == 400;
    }

    /** For the stage message and the event: the field, and Kubernetes' words. */
    public String describe() {
        return (field == null ? "" : field + ": ") + "Kubernetes refused " + object + " " + name + " (" + reason + "): " + message;
    }

    static Optional<String> chainField(String object, String field) {
        if (field == null) {
            return Optional.empty();
        }
        return (POD.equals(object) ? POD_FIELDS : VOLUME_FIELDS).stream().filter(e -> field.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    static Optional<String> fieldNamedBy(String object, String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return (POD.equals(object) ? POD_WORDS : VOLUME_WORDS).stream().filter(e -> m.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }
}
