package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {

    public static final String SIZE_MESSAGE = "size must be a Kubernetes quantity greater than 0, e.g. 2Gi";
    public static final String ACCESS_MODES_MESSAGE = "accessModes must include ReadWriteOnce or ReadWriteMany: each stage "
            + "writes its checkpoint to its own volume";
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

    @Default(Bounds.DEFAULT_ACCESS_MODES)
    @Size(min = 1, max = Bounds.ACCESS_MODES_MAX)
    @ValidationRule(value = "self.exists(m, m == 'ReadWriteOnce' || m == 'ReadWriteMany')", message = ACCESS_MODES_MESSAGE)
    @JsonPropertyDescription("Access modes of the checkpoint volumes, as their storage class supports them. With ReadWriteOnce "
            + "(default) a volume attaches to one node at a time: a stage Pod that mounts a volume in use on a node starts on that "
            + "node, and waits while the Pod using it is not scheduled yet. ReadWriteMany, or ReadOnlyMany next to ReadWriteOnce, "
            + "lets the students of one teacher run on any node (shared file systems).")
    private List<AccessMode> accessModes;

    public Quantity getSize() { return size; }
    public void setSize(Quantity size) { this.size = size; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public List<AccessMode> getAccessModes() { return accessModes; }
    public void setAccessModes(List<AccessMode> accessModes) { this.accessModes = accessModes; }
    public Retain getRetain() { return retain; }
    public void setRetain(Retain retain) { this.retain = retain; }

    public Quantity effectiveSize() { return size == null ? new Quantity(Bounds.DEFAULT_STORAGE_SIZE) : size; }
    public List<AccessMode> effectiveAccessModes() {
        return accessModes == null || accessModes.isEmpty() ? List.of(AccessMode.fromValue(Bounds.DEFAULT_ACCESS_MODE)) : accessModes;
    }
    /** Whether a volume attaches to one node at a time: no access mode for several nodes is asked for. */
    public boolean singleNode() {
        return effectiveAccessModes().stream().noneMatch(AccessMode::multiNode);
    }
    public Retain effectiveRetain() { return retain == null ? Retain.fromValue(Bounds.DEFAULT_RETAIN) : retain; }
}
