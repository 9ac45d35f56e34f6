package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {

    public static final String CPU_MESSAGE = "cpu must be a Kubernetes quantity greater than 0, e.g. \"4\" or 500m";
    public static final String MEMORY_MESSAGE = "memory must be a Kubernetes quantity greater than 0, e.g. 8Gi";

    @Min(Bounds.GPU_MIN)
    @Max(Bounds.GPU_MAX)
    @Default("" + Bounds.DEFAULT_GPU)
    @JsonPropertyDescription("GPUs per trainer Pod (requested as the operator's GPU resource, nvidia.com/gpu by default); such a Pod "
            + "runs the operator's CUDA trainer image with --device gpu; with two or more, a built-in network trains data parallel "
            + "on all of them (each batch split across the GPUs), a TorchScript one on the first. 0 trains on the CPU, with the "
            + "CPU image.")
    private Integer gpu;

    @ValidationRule(value = Bounds.POSITIVE_QUANTITY_RULE, message = CPU_MESSAGE)
    @JsonPropertyDescription("CPU request and limit per trainer Pod, e.g. \"4\" or 500m. Default: the operator's setting ("
            + Bounds.DEFAULT_TRAINER_CPU + " unless changed).")
    private Quantity cpu;

    @ValidationRule(value = Bounds.POSITIVE_QUANTITY_RULE, message = MEMORY_MESSAGE)
    @JsonPropertyDescription("Memory request and limit per trainer Pod, e.g. 8Gi. Default: the operator's setting ("
            + Bounds.DEFAULT_TRAINER_MEMORY + " unless changed). A trainer that runs out of it fails without retry.")
    private Quantity memory;

    public Integer getGpu() { return gpu; }
    public void setGpu(Integer gpu) { this.gpu = gpu; }
    public Quantity getCpu() { return cpu; }
    public void setCpu(Quantity cpu) { this.cpu = cpu; }
    public Quantity getMemory() { return memory; }
    public void setMemory(Quantity memory) { this.memory = memory; }

    public int effectiveGpu() { return gpu == null ? Bounds.DEFAULT_GPU : gpu; }
}
