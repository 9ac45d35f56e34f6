package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod-level settings of every stage's trainer Pod. Each value that Kubernetes checks on a Pod is
 * checked here too (schema and CEL, and {@code ChainValidator}), so a value Kubernetes would refuse
 * is refused at {@code kubectl apply}, not when the operator creates the Pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainerSpec {

    public static final String IMAGE_MESSAGE = "image must be a container image reference, [registry[:port]/]path[:tag][@digest], "
            + "e.g. registry.example.com/ml/distillation-trainer:0.1.0";
    public static final String NODE_SELECTOR_KEY_MESSAGE = "nodeSelector keys must be label keys: an optional DNS-subdomain prefix "
            + "and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    public static final String NODE_SELECTOR_VALUE_MESSAGE = "nodeSelector values must be label values: at most 63 letters, "
            + "digits, '-', '_' or '.', starting and ending with a letter or digit";
    public static final String PRIORITY_CLASS_MESSAGE = "priorityClassName must be the name of a PriorityClass: a DNS subdomain "
            + "(lower-case letters, digits, '-' and '.')";

    @Size(max = Bounds.IMAGE_REFERENCE_MAX)
    @ValidationRule(value = "self.matches('" + Bounds.IMAGE_REFERENCE + "')", message = IMAGE_MESSAGE)
    @JsonPropertyDescription("Container image that runs `distill train`. Default: the operator's setting (its CUDA image when the "
            + "stage requests GPUs). The operator's policy may allow only some registries.")
    private String image;

    @JsonPropertyDescription("GPUs, CPU and memory for each stage's trainer Pod.")
    private ResourcesSpec resources;

    @Size(max = Bounds.NODE_SELECTOR_MAX)
    @ValidationRule(value = "self.all(k, size(k) <= " + Bounds.QUALIFIED_NAME_MAX + " && k.matches('" + Bounds.QUALIFIED_NAME + "'))",
            message = NODE_SELECTOR_KEY_MESSAGE)
    @ValidationRule(value = "self.all(k, size(self[k]) <= " + Bounds.LABEL_VALUE_MAX + " && self[k].matches('" + Bounds.LABEL_VALUE + "'))",
            message = NODE_SELECTOR_VALUE_MESSAGE)
    @JsonPropertyDescription("Node labels a trainer Pod's node must carry. The operator's policy may forbid it.")
    private Map<String, @Size(max = Bounds.LABEL_VALUE_MAX) String> nodeSelector = new LinkedHashMap<>();

    @Size(max = Bounds.TOLERATIONS_MAX)
    @JsonPropertyDescription("Tolerations for tainted (for example GPU) nodes. The operator's policy may forbid them.")
    private List<TolerationSpec> tolerations = new ArrayList<>();

    @Size(max = Bounds.DNS_SUBDOMAIN_MAX)
    @ValidationRule(value = "self.matches('" + Bounds.DNS_SUBDOMAIN + "')", message = PRIORITY_CLASS_MESSAGE)
    @JsonPropertyDescription("PriorityClass of the trainer Pods. The operator's policy may allow only some.")
    private String priorityClassName;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ResourcesSpec getResources() { return resources; }
    public void setResources(ResourcesSpec resources) { this.resources = resources; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<TolerationSpec> getTolerations() { return tolerations; }
    public void setTolerations(List<TolerationSpec> tolerations) { this.tolerations = tolerations; }
    public String getPriorityClassName() { return priorityClassName; }
    public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
}
