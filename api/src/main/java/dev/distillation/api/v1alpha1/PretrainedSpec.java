package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A checkpoint the stage loads and evaluates instead of training. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PretrainedSpec {

    @Required
    @Pattern(Bounds.DNS_SUBDOMAIN)
    @JsonPropertyDescription("PersistentVolumeClaim holding the checkpoint (model.params and model.json, or a TorchScript file).")
    private String claimName;

    @Default(Bounds.DEFAULT_VOLUME_PATH)
    @Pattern(Bounds.ABSOLUTE_PATH)
    @JsonPropertyDescription("Folder inside the volume that holds model.params and model.json; for a torchscript model the "
            + "TorchScript file, or a folder holding model.pt.")
    private String path;

    public String getClaimName() { return claimName; }
    public void setClaimName(String claimName) { this.claimName = claimName; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }

    public String effectivePath() { return path == null ? Bounds.DEFAULT_VOLUME_PATH : path; }
}
