package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.architecture == 'torchscript' || has(self.depth)", message = ModelSpec.DEPTH_REQUIRED_MESSAGE)
@ValidationRule(value = "self.architecture != 'plain-cnn' || !has(self.depth) || self.depth in [" + Bounds.PLAIN_CNN_DEPTHS + "]",
        message = ModelSpec.PLAIN_CNN_DEPTH_MESSAGE)
@ValidationRule(value = "self.architecture != 'resnet' || !has(self.depth) || (self.depth >= " + Bounds.RESNET_DEPTH_MIN
        + " && self.depth <= " + Bounds.DEPTH_MAX + " && (self.depth - 2) % 6 == 0)",
        message = ModelSpec.RESNET_DEPTH_MESSAGE)
@ValidationRule(value = "self.architecture != 'torchscript' || (has(self.input) && has(self.classes))",
        message = ModelSpec.TORCHSCRIPT_DECLARATION_MESSAGE)
@ValidationRule(value = "self.architecture != 'torchscript' || (!has(self.depth) && !has(self.width))",
        message = ModelSpec.BUILTIN_ONLY_MESSAGE)
@ValidationRule(value = "self.architecture == 'torchscript' || (!has(self.torchscript) && !has(self.input) && !has(self.classes))",
        message = ModelSpec.TORCHSCRIPT_ONLY_MESSAGE)
public class ModelSpec {

    /** What the CRD and the validator say about a plain-cnn depth it does not support. */
    public static final String PLAIN_CNN_DEPTH_MESSAGE = "plain-cnn depth must be one of " + Bounds.PLAIN_CNN_DEPTHS;
    /** What the CRD and the validator say about a resnet depth it does not support. */
    public static final String RESNET_DEPTH_MESSAGE = "resnet depth must be 6n+2 between " + Bounds.RESNET_DEPTH_MIN
            + " and " + Bounds.DEPTH_MAX + " (8, 14, 20, 26, 32, 44, 56, 110, ...)";
    public static final String DEPTH_REQUIRED_MESSAGE = "model.depth is required for plain-cnn and resnet";
    public static final String TORCHSCRIPT_DECLARATION_MESSAGE = "a torchscript model declares the input it expects "
            + "(model.input: channels, height, width) and its number of classes (model.classes)";
    public static final String BUILTIN_ONLY_MESSAGE = "model.depth and model.width apply to plain-cnn and resnet, not to a torchscript model";
    public static final String TORCHSCRIPT_ONLY_MESSAGE = "model.torchscript, model.input and model.classes apply to architecture "
            + "torchscript only";

    @Required
    @JsonPropertyDescription("Network family: plain-cnn (the paper's plain CNNs), resnet (CIFAR ResNet) or torchscript "
            + "(a network of your own, saved with torch.jit.save).")
    private Architecture architecture;

    @Min(Bounds.DEPTH_MIN)
    @Max(Bounds.DEPTH_MAX)
    @JsonPropertyDescription("Number of weight layers, required for plain-cnn and resnet: plain-cnn " + Bounds.PLAIN_CNN_DEPTHS
            + "; resnet 6n+2 from " + Bounds.RESNET_DEPTH_MIN + " to " + Bounds.DEPTH_MAX + " (8, 14, 20, 26, 32, 44, 56, 110, ...).")
    private Integer depth;

    @Min(value = Bounds.WIDTH_ABOVE, inclusive = false)
    @Max(Bounds.WIDTH_MAX)
    @JsonPropertyDescription("Channel-width multiplier applied to every convolution of a plain-cnn or resnet (1.0 = the paper's "
            + "widths). Default " + Bounds.DEFAULT_WIDTH + ".")
    private Double width;

    @JsonPropertyDescription("For architecture torchscript: the TorchScript file (torch.jit.save) this stage trains, starting "
            + "from the weights it holds. A stage that only evaluates a TorchScript file names it in the stage's pretrained "
            + "instead. The file's own contents do not enter the fingerprint: to train on a new file, give it a new path.")
    private VolumeFile torchscript;

    @JsonPropertyDescription("For architecture torchscript: the images the network expects. The trainer checks them against "
            + "the dataset before it trains and feeds the network pixel/255 normalised with mean and std.")
    private InputSpec input;

    @Min(Bounds.CLASSES_MIN)
    @Max(Bounds.CLASSES_MAX)
    @JsonPropertyDescription("For architecture torchscript: the number of classes (logits) the network outputs; must be the "
            + "dataset's.")
    private Integer classes;

    public Architecture getArchitecture() { return architecture; }
    public void setArchitecture(Architecture architecture) { this.architecture = architecture; }
    public Integer getDepth() { return depth; }
    public void setDepth(Integer depth) { this.depth = depth; }
    public Double getWidth() { return width; }
    public void setWidth(Double width) { this.width = width; }
    public VolumeFile getTorchscript() { return torchscript; }
    public void setTorchscript(VolumeFile torchscript) { this.torchscript = torchscript; }
    public InputSpec getInput() { return input; }
    public void setInput(InputSpec input) { this.input = input; }
    public Integer getClasses() { return classes; }
    public void setClasses(Integer classes) { this.classes = classes; }

    public double effectiveWidth() { return width == null ? Bounds.DEFAULT_WIDTH : width; }
}
