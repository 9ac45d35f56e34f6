package dev.distillation.api.validation;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * A field of a spec class with the {@link Range} its {@code @Min}/{@code @Max} annotations give
 * it (null when it has none). The annotations, which also make the CRD's schema, are the only
 * statement of a field's bounds (their numbers come from {@link dev.distillation.api.v1alpha1.Bounds});
 * the validator, the StageJob reader and the tests read them through this class.
 */
public record SpecField(Field field, Range range) {

    /** Read once per class: the validator runs on every reconcile. */
    private static final ClassValue<List<SpecField>> FIELDS = new ClassValue<>() {
        @Override
        protected List<SpecField> computeValue(Class<?> type) {
            return Arrays.stream(type.getDeclaredFields())
                    .filter(f -> !Modifier.isStatic(f.getModifiers()))
                    .map(SpecField::of)
                    .toList();
        }
    };

    /** Every instance field of {@code type}, in the order the JVM lists them (declaration order on HotSpot). */
    public static List<SpecField> of(Class<?> type) {
        return FIELDS.get(type);
    }

    /** The fields of {@code type} that have bounds, in the same order. */
    public static List<SpecField> bounded(Class<?> type) {
        return of(type).stream().filter(f -> f.range() != null).toList();
    }

    public static SpecField of(Class<?> type, String name) {
        return of(type).stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(type.getSimpleName() + " has no field '" + name + "'"));
    }

    private static SpecField of(Field field) {
        field.setAccessible(true);
        Min min = field.getAnnotation(Min.class);
        Max max = field.getAnnotation(Max.class);
        Range range = min == null && max == null ? null : new Range(
                min == null ? null : min.value(), min == null || min.inclusive(),
                max == null ? null : max.value(), max == null || max.inclusive());
        return new SpecField(field, range);
    }

    public String name() {
        return field.getName();
    }

    public Class<?> type() {
        return field.getType();
    }

    public Object get(Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    public void set(Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code owner}'s value is set and outside the field's range. */
    public boolean outOfRange(Object owner) {
        Object value = get(owner);
        return range != null && value instanceof Number n && !range.contains(n);
    }
}
