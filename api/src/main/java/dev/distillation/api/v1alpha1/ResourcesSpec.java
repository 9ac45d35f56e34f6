package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {

    @Min(Bounds.GPU_MIN)
    @Max(Bounds.GPU_MAX)
    @Default("" + Bounds.DEFAULT_GPU)
    @JsonPropertyDescription("GPUs per trainer Pod (requested as the operator's GPU resource, nvidia.com/gpu by default). 0 trains on CPU.")
    private Integer gpu;

    @JsonPropertyDescription("CPU request and limit per trainer Pod, e.g. \"4\".")
    private Quantity cpu;

    @JsonPropertyDescription("Memory request and limit per trainer Pod, e.g. 8Gi.")
    private Quantity memory;

    public Integer getGpu() { return gpu; }
    public void setGpu(Integer gpu) { this.gpu = gpu; }
    public Quantity getCpu() { return cpu; }
    public void setCpu(Quantity cpu) { this.cpu = cpu; }
    public Quantity getMemory() { return memory; }
    public void setMemory(Quantity memory) { this.memory = memory; }

    public int effectiveGpu() { return gpu == null ? Bounds.DEFAULT_GPU : gpu; }
}
