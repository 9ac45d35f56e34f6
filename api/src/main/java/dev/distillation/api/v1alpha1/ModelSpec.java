package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.architecture != 'plain-cnn' || self.depth in [" + Bounds.PLAIN_CNN_DEPTHS + "]",
        message = ModelSpec.PLAIN_CNN_DEPTH_MESSAGE)
@ValidationRule(value = "self.architecture != 'resnet' || (self.depth >= " + Bounds.RESNET_DEPTH_MIN
        + " && self.depth <= " + Bounds.DEPTH_MAX + " && (self.depth - 2) % 6 == 0)",
        message = ModelSpec.RESNET_DEPTH_MESSAGE)
public class ModelSpec {

    /** What the CRD and the validator say about a plain-cnn depth it does not support. */
    public static final String PLAIN_CNN_DEPTH_MESSAGE = "plain-cnn depth must be one of " + Bounds.PLAIN_CNN_DEPTHS;
    /** What the CRD and the validator say about a resnet depth it does not support. */
    public static final String RESNET_DEPTH_MESSAGE = "resnet depth must be 6n+2 between " + Bounds.RESNET_DEPTH_MIN
            + " and " + Bounds.DEPTH_MAX + " (8, 14, 20, 26, 32, 44, 56, 110, ...)";

    @Required
    @JsonPropertyDescription("Network family: plain-cnn (the paper's plain CNNs) or resnet (CIFAR ResNet).")
    private Architecture architecture;

    @Required
    @Min(Bounds.DEPTH_MIN)
    @Max(Bounds.DEPTH_MAX)
    @JsonPropertyDescription("Number of weight layers: plain-cnn " + Bounds.PLAIN_CNN_DEPTHS + "; resnet 6n+2 from "
            + Bounds.RESNET_DEPTH_MIN + " to " + Bounds.DEPTH_MAX + " (8, 14, 20, 26, 32, 44, 56, 110, ...).")
    private Integer depth;

    @Min(value = Bounds.WIDTH_ABOVE, inclusive = false)
    @Max(Bounds.WIDTH_MAX)
    @JsonPropertyDescription("Channel-width multiplier applied to every convolution (1.0 = the paper's widths). Default "
            + Bounds.DEFAULT_WIDTH + ".")
    private Double width;

    public Architecture getArchitecture() { return architecture; }
    public void setArchitecture(Architecture architecture) { this.architecture = architecture; }
    public Integer getDepth() { return depth; }
    public void setDepth(Integer depth) { this.depth = depth; }
    public Double getWidth() { return width; }
    public void setWidth(Double width) { this.width = width; }

    public double effectiveWidth() { return width == null ? Bounds.DEFAULT_WIDTH : width; }
}
