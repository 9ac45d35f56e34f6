package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** On-disk layouts the trainer reads. */
public enum DatasetFormat {
    /** MNIST-style IDX files (train-images-idx3-ubyte[.gz], ...). */
    IDX("idx"),
    /** CIFAR-10 binary batches (cifar-10-batches-bin). */
    CIFAR10("cifar10"),
    /** CIFAR-100 binary files (cifar-100-binary). */
    CIFAR100("cifar100"),
    /** train/ and test/ folders holding one subfolder of images per class. */
    IMAGE_FOLDER("image-folder");

    private final String value;

    DatasetFormat(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static DatasetFormat fromValue(String value) { return Enums.fromValue(DatasetFormat.class, value); }

    @Override
    public String toString() { return value; }
}
