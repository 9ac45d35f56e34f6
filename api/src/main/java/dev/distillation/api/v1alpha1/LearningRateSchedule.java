package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

public enum LearningRateSchedule {
    /** The learning rate stays fixed. */
    CONSTANT("constant"),
    /** Multiplied by lrGamma every lrStepEpochs epochs. */
    STEP("step"),
    /** Cosine annealing from learningRate to 0 over the stage's epochs. */
    COSINE("cosine");

    private final String value;

    LearningRateSchedule(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static LearningRateSchedule fromValue(String value) { return Enums.fromValue(LearningRateSchedule.class, value); }

    @Override
    public String toString() { return value; }
}
