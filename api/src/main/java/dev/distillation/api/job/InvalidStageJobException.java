package dev.distillation.api.job;

/**
 * A StageJob document that cannot be used: not JSON, an unknown or missing field, or a value out
 * of range. {@link #getMessage()} is one line naming the field (dotted path, e.g.
 * {@code training.learningRate}) and what was expected.
 */
public final class InvalidStageJobException extends Exception {

    private final String field;

    public InvalidStageJobException(String field, String problem) {
        super(field == null || field.isEmpty()
                ? "invalid StageJob: " + problem
                : "invalid StageJob field '" + field + "': " + problem);
        this.field = field;
    }

    /** Dotted path of the offending field, or null when the document as a whole is unreadable. */
    public String field() {
        return field;
    }
}
