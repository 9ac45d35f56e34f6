package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

    public static final String SIZE_MESSAGE = "size must be a Kubernetes quantity greater than 0, e.g. 2Gi";
    public static final String STORAGE_CLASS_MESSAGE = "storageClassName must be the name of a StorageClass: a DNS subdomain "
            + "(lower-case letters, digits, '-' and '.')";

    @Default(Bounds.DEFAULT_STORAGE_SIZE)
    @ValidationRule(value = Bounds.POSITIVE_QUANTITY_RULE, message = SIZE_MESSAGE)
    @JsonPropertyDescription("Size of each stage's checkpoint volume.")
    private Quantity size;

    @Size(max = Bounds.DNS_SUBDOMAIN_MAX)
    @ValidationRule(value = "self.matches('" + Bounds.DNS_SUBDOMAIN + "')", message = STORAGE_CLASS_MESSAGE)
    @JsonPropertyDescription("StorageClass of the checkpoint volumes. Default: the cluster's default class.")
    private String storageClassName;

    @Default(Bounds.DEFAULT_RETAIN)
    @JsonPropertyDescription("Which checkpoint volumes outlive the chain when it is deleted: Final (default: the stages no other "
            + "stage learns from, i.e. the models the chain produces), All, or None.")
    private Retain retain;

    public Quantity getSize() { return size; }
    public void setSize(Quantity size) { this.size = size; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public Retain getRetain() { return retain; }
    public void setRetain(Retain retain) { this.retain = retain; }

    public Quantity effectiveSize() { return size == null ? new Quantity(Bounds.DEFAULT_STORAGE_SIZE) : size; }
    public Retain effectiveRetain() { return retain == null ? Retain.fromValue(Bounds.DEFAULT_RETAIN) : retain; }
}
