package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainerSpec {

    @JsonPropertyDescription("Container image that runs `distill train`. Default: the operator's setting.")
    private String image;

    @JsonPropertyDescription("GPUs, CPU and memory for each stage's trainer Pod.")
    private ResourcesSpec resources;

    @JsonPropertyDescription("Node labels a trainer Pod's node must carry.")
    private Map<String, String> nodeSelector = new LinkedHashMap<>();

    @JsonPropertyDescription("Tolerations for tainted (for example GPU) nodes.")
    private List<Toleration> tolerations = new ArrayList<>();

    @JsonPropertyDescription("PriorityClass of the trainer Pods.")
    private String priorityClassName;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ResourcesSpec getResources() { return resources; }
    public void setResources(ResourcesSpec resources) { this.resources = resources; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public String getPriorityClassName() { return priorityClassName; }
    public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
}
