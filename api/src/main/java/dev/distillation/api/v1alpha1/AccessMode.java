package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The PersistentVolume access modes a checkpoint volume may ask for, as Kubernetes names them. */
public enum AccessMode {
    READ_WRITE_ONCE("ReadWriteOnce"), READ_WRITE_MANY("ReadWriteMany"), READ_ONLY_MANY("ReadOnlyMany");

    private final String value;

    AccessMode(String value) { this.value = value; }

    @JsonValue
    public String value() { return value; }

    @JsonCreator
    public static AccessMode fromValue(String value) { return Enums.fromValue(AccessMode.class, value); }

    /** Whether a volume with this mode can be mounted on several nodes at once (by readers, at least). */
    public boolean multiNode() { return this != READ_WRITE_ONCE; }

    /** Whether a stage can write its checkpoint to a volume with this mode. */
    public boolean writable() { return this != READ_ONLY_MANY; }

    @Override
    public String toString() { return value; }
}
