package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A file on a PersistentVolumeClaim the user provides (locally: a folder given with --volume CLAIM=DIR). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeFile {

    @Required
    @Pattern(Bounds.DNS_SUBDOMAIN)
    @JsonPropertyDescription("PersistentVolumeClaim holding the file (same namespace as the chain).")
    private String claimName;

    @Required
    @Pattern(Bounds.ABSOLUTE_PATH)
    @JsonPropertyDescription("The file's path inside the volume, e.g. /teachers/resnet.pt.")
    private String path;

    public String getClaimName() { return claimName; }
    public void setClaimName(String claimName) { this.claimName = claimName; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }

    @Override
    public boolean equals(Object o) {
        return o instanceof VolumeFile f && Objects.equals(claimName, f.claimName) && Objects.equals(path, f.path);
    }

    @Override
    public int hashCode() { return Objects.hash(claimName, path); }
}
