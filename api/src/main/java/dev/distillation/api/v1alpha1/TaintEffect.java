package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The taint effects a toleration can name, as Kubernetes defines them. */
public enum TaintEffect {
    NO_SCHEDULE("NoSchedule"), PREFER_NO_SCHEDULE("PreferNoSchedule"), NO_EXECUTE("NoExecute");

    private final String value;

    TaintEffect(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static TaintEffect fromValue(String value) { return Enums.fromValue(TaintEffect.class, value); }

    @Override
    public String toString() { return value; }
}
