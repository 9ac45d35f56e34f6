package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Datasets the trainer image carries. */
public enum BuiltinDataset {
    FASHION_MNIST("fashion-mnist", DatasetFormat.IDX, 10);

    private final String value;
    private final DatasetFormat format;
    private final int classes;

    BuiltinDataset(String value, DatasetFormat format, int classes) {
        this.value = value;
        this.format = format;
        this.classes = classes;
    }

    @JsonValue
    public String value() { return value; }
    public DatasetFormat format() { return format; }
    public int classes() { return classes; }

    @JsonCreator
    public static BuiltinDataset fromValue(String value) { return Enums.fromValue(BuiltinDataset.class, value); }

    @Override
    public String toString() { return value; }
}
