package dev.distillation.operator.managed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.v1alpha1.StageMetrics;

/**
 * Reads the metrics a trainer wrote to its termination message (compact JSON {@link StageMetrics}).
 * Never throws: bad input becomes an error message the stage status shows.
 */
public record TrainerResult(StageMetrics metrics, String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean ok() { return metrics != null; }

    /** The trainer's message, as a trainer of a chain without a validation split writes it. */
    public static TrainerResult parse(String message) {
        return parse(message, false);
    }

    /**
     * The trainer's message; with {@code validationSplit}, it must also report the validation accuracy: a trainer
     * image older than validation splits ignores the job's split (unknown StageJob fields are ignored within v1) and
     * would train on every image, so its result is refused rather than recorded as if it had held them out.
     */
    public static TrainerResult parse(String message, boolean validationSplit) {
        TrainerResult r = parseMetrics(message);
        if (r.ok() && validationSplit && r.metrics().getValidationAccuracy() == null) {
            return new TrainerResult(null, "the trainer reported no validationAccuracy although the chain holds out a validation "
                    + "split: its image predates validation splits; use a trainer image as new as the operator");
        }
        return r;
    }

    private static TrainerResult parseMetrics(String message) {
        if (message == null || message.isBlank()) {
            return new TrainerResult(null, "the trainer wrote no metrics to its termination message");
        }
        try {
            StageMetrics m = JSON.readValue(message.strip(), StageMetrics.class);
            if (m == null || m.getTestAccuracy() == null) {
                return new TrainerResult(null, "the trainer's termination message has no testAccuracy: " + abbreviate(message));
            }
            if (m.getTestAccuracy() < 0 || m.getTestAccuracy() > 1 || m.getTestAccuracy().isNaN()) {
                return new TrainerResult(null, "the trainer reported testAccuracy " + m.getTestAccuracy() + ", outside 0..1");
            }
            Double v = m.getValidationAccuracy();
            if (v != null && (v < 0 || v > 1 || v.isNaN())) {
                return new TrainerResult(null, "the trainer reported validationAccuracy " + v + ", outside 0..1");
            }
            return new TrainerResult(m, null);
        } catch (JsonProcessingException | RuntimeException e) {
            return new TrainerResult(null, "the trainer's termination message is not metrics JSON: " + abbreviate(message));
        }
    }

    public static String toJson(StageMetrics metrics) {
        try {
            return JSON.writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
