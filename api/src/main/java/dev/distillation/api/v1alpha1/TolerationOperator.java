package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a toleration matches a taint's value, as Kubernetes defines it. */
public enum TolerationOperator {
    EXISTS("Exists"), EQUAL("Equal");

    private final String value;

    TolerationOperator(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static TolerationOperator fromValue(String value) { return Enums.fromValue(TolerationOperator.class, value); }

    @Override
    public String toString() { return value; }
}
