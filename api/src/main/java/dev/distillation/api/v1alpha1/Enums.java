package dev.distillation.api.v1alpha1;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Lookup of the lower-case, dashed names our enums use on the wire. */
final class Enums {
    private Enums() {}

    static <E extends Enum<E>> E fromValue(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")));
    }
}
