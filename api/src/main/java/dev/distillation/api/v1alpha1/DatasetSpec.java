package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.builtin) != has(self.volume)",
        message = "dataset needs exactly one source: either 'builtin' or 'volume'")
public class DatasetSpec {

    @JsonPropertyDescription("A dataset that ships inside the trainer image (fashion-mnist).")
    private BuiltinDataset builtin;

    @JsonPropertyDescription("A dataset on a PersistentVolumeClaim the user provides, mounted read-only at /data.")
    private VolumeDataset volume;

    @JsonPropertyDescription("Training images held out as a validation split, the same ones for every stage: each stage trains on the "
            + "rest and reports its validation accuracy beside its test accuracy, and a stage's candidates are compared on it. "
            + "Never taken from the test split. Leave out to train on every training image.")
    private ValidationSplit validation;

    public BuiltinDataset getBuiltin() { return builtin; }
    public void setBuiltin(BuiltinDataset builtin) { this.builtin = builtin; }
    public VolumeDataset getVolume() { return volume; }
    public void setVolume(VolumeDataset volume) { this.volume = volume; }
    public ValidationSplit getValidation() { return validation; }
    public void setValidation(ValidationSplit validation) { this.validation = validation; }
}
