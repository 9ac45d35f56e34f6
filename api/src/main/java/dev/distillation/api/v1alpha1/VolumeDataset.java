package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeDataset {

    @Required
    @Pattern(Bounds.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the PersistentVolumeClaim holding the dataset (same namespace as the chain).")
    private String claimName;

    @Default(Bounds.DEFAULT_VOLUME_PATH)
    @Pattern(Bounds.ABSOLUTE_PATH)
    @JsonPropertyDescription("Folder inside the volume that holds the dataset files.")
    private String path;

    @Required
    @JsonPropertyDescription("File layout: idx (MNIST-style), cifar10, cifar100 (standard binary format) or image-folder.")
    private DatasetFormat format;

    public String getClaimName() { return claimName; }
    public void setClaimName(String claimName) { this.claimName = claimName; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public DatasetFormat getFormat() { return format; }
    public void setFormat(DatasetFormat format) { this.format = format; }

    public String effectivePath() { return path == null ? Bounds.DEFAULT_VOLUME_PATH : path; }
}
