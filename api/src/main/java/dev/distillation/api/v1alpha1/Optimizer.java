package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum Optimizer {
    SGD("sgd"), ADAM("adam");

    private final String value;

    Optimizer(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static Optimizer fromValue(String value) { return Enums.fromValue(Optimizer.class, value); }

    @Override
    public String toString() { return value; }
}
