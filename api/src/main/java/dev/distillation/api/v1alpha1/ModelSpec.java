package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.architecture != 'plain-cnn' || self.depth in [2, 4, 6, 8, 10]",
        message = "plain-cnn depth must be one of 2, 4, 6, 8, 10")
@ValidationRule(value = "self.architecture != 'resnet' || (self.depth >= 8 && self.depth <= 110 && (self.depth - 2) % 6 == 0)",
        message = "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...)")
public class ModelSpec {

    @Required
    @JsonPropertyDescription("Network family: plain-cnn (the paper's plain CNNs) or resnet (CIFAR ResNet).")
    private Architecture architecture;

    @Required
    @Min(2)
    @Max(110)
    @JsonPropertyDescription("Number of weight layers: plain-cnn 2, 4, 6, 8 or 10; resnet 6n+2 (8, 14, 20, 26, 32, 44, 56, 110).")
    private Integer depth;

    @Min(value = 0, inclusive = false)
    @Max(8)
    @JsonPropertyDescription("Channel-width multiplier applied to every convolution (1.0 = the paper's widths). Default 1.0.")
    private Double width;

    public Architecture getArchitecture() { return architecture; }
    public void setArchitecture(Architecture architecture) { this.architecture = architecture; }
    public Integer getDepth() { return depth; }
    public void setDepth(Integer depth) { this.depth = depth; }
    public Double getWidth() { return width; }
    public void setWidth(Double width) { this.width = width; }

    public double effectiveWidth() { return width == null ? 1.0 : width; }
}
