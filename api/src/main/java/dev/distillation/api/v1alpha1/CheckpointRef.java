package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a stage's trained model lives. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointRef {

    @JsonPropertyDescription("PersistentVolumeClaim holding the checkpoint.")
    private String claimName;

    @JsonPropertyDescription("Folder inside the volume.")
    private String path;

    public CheckpointRef() {}

    public CheckpointRef(String claimName, String path) {
        this.claimName = claimName;
        this.path = path;
    }

    public String getClaimName() { return claimName; }
    public void setClaimName(String claimName) { this.claimName = claimName; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointRef c && Objects.equals(claimName, c.claimName) && Objects.equals(path, c.path);
    }

    @Override
    public int hashCode() { return Objects.hash(claimName, path); }
}
