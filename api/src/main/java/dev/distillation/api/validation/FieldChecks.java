package dev.distillation.api.validation;

import dev.distillation.api.v1alpha1.Bounds;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Checks of single values that several parts of a chain share, each reporting to one error sink with the field's path. */
final class FieldChecks {

    private static final Pattern ABSOLUTE_PATH = Pattern.compile(Bounds.ABSOLUTE_PATH);

    private final BiConsumer<String, String> error;

    FieldChecks(BiConsumer<String, String> error) {
        this.error = error;
    }

    /** Every bounded field of {@code owner} that is set must be within its range. */
    void bounds(String path, Class<?> type, Object owner) {
        for (SpecField field : SpecField.bounded(type)) {
            bound(path, owner, field);
        }
    }

    void bound(String path, Object owner, SpecField field) {
        if (field.outOfRange(owner)) {
            error.accept(path + "." + field.name(), "must be " + field.range().describe() + " (found " + field.get(owner) + ")");
        }
    }

    void claimName(String path, String claim) {
        if (claim == null || claim.isEmpty()) {
            error.accept(path, "required: the name of a PersistentVolumeClaim in the chain's namespace");
        } else if (!KubernetesSyntax.isDnsSubdomain(claim)) {
            error.accept(path, "'" + claim + "' is not a valid PersistentVolumeClaim name");
        }
    }

    void absolutePath(String path, String value) {
        if (value != null && !ABSOLUTE_PATH.matcher(value).matches()) {
            error.accept(path, "must be an absolute path inside the volume, starting with '/' (found '" + value + "')");
        }
    }
}
