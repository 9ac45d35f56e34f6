package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Datasets the trainer image carries. */
public enum BuiltinDataset {
    FASHION_MNIST("fashion-mnist", DatasetFormat.IDX, 10, 1, 28, 28);

    private final String value;
    private final DatasetFormat format;
    private final int classes;
    private final int channels;
    private final int height;
    private final int width;

    BuiltinDataset(String value, DatasetFormat format, int classes, int channels, int height, int width) {
        this.value = value;
        this.format = format;
        this.classes = classes;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @JsonValue
    public String value() { return value; }
    public DatasetFormat format() { return format; }
    public int classes() { return classes; }
    /** The images' channels, height and width (the trainer checks the files it reads against them). */
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }

    @JsonCreator
    public static BuiltinDataset fromValue(String value) { return Enums.fromValue(BuiltinDataset.class, value); }

    @Override
    public String toString() { return value; }
}
