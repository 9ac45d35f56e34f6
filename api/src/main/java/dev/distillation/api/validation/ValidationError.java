package dev.distillation.api.validation;

/**
 * One problem in a chain spec.
 *
 * @param path    the field, as a path from the resource root, e.g. {@code spec.stages[2].teacher}
 * @param message what is wrong and what was expected
 */
public record ValidationError(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
