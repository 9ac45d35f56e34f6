package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which checkpoint volumes outlive a deleted chain. */
public enum Retain {
    ALL("All"), FINAL("Final"), NONE("None");

    private final String value;

    Retain(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static Retain fromValue(String value) { return Enums.fromValue(Retain.class, value); }

    @Override
    public String toString() { return value; }
}
