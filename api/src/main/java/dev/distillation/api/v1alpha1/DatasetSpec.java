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

    public BuiltinDataset getBuiltin() { return builtin; }
    public void setBuiltin(BuiltinDataset builtin) { this.builtin = builtin; }
    public VolumeDataset getVolume() { return volume; }
    public void setVolume(VolumeDataset volume) { this.volume = volume; }
}
