package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The images a TorchScript network expects: (channels, height, width) and the per-channel
 * normalisation it was written for. The trainer checks them against the dataset before training.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.mean) == has(self.std)", message = InputSpec.MEAN_STD_MESSAGE)
@ValidationRule(value = "!has(self.mean) || size(self.mean) == self.channels", message = InputSpec.MEAN_SIZE_MESSAGE)
@ValidationRule(value = "!has(self.std) || size(self.std) == self.channels", message = InputSpec.STD_SIZE_MESSAGE)
@ValidationRule(value = "!has(self.std) || self.std.all(s, s > " + Bounds.INPUT_STD_ABOVE + ".0)", message = InputSpec.STD_POSITIVE_MESSAGE)
public class InputSpec {

    public static final String MEAN_STD_MESSAGE = "input.mean and input.std go together: set both or neither";
    public static final String MEAN_SIZE_MESSAGE = "input.mean needs one value per channel";
    public static final String STD_SIZE_MESSAGE = "input.std needs one value per channel";
    public static final String STD_POSITIVE_MESSAGE = "input.std values must be greater than 0";

    @Required
    @Min(Bounds.INPUT_CHANNELS_MIN)
    @Max(Bounds.INPUT_CHANNELS_MAX)
    @JsonPropertyDescription("Image channels the network takes: 1 (grayscale) or 3 (RGB).")
    private Integer channels;

    @Required
    @Min(Bounds.INPUT_SIZE_MIN)
    @Max(Bounds.INPUT_SIZE_MAX)
    @JsonPropertyDescription("Image height in pixels.")
    private Integer height;

    @Required
    @Min(Bounds.INPUT_SIZE_MIN)
    @Max(Bounds.INPUT_SIZE_MAX)
    @JsonPropertyDescription("Image width in pixels.")
    private Integer width;

    @Size(min = Bounds.INPUT_CHANNELS_MIN, max = Bounds.INPUT_CHANNELS_MAX)
    @JsonPropertyDescription("Per-channel mean subtracted from pixel/255 before the network sees it (with std: "
            + "x = (pixel/255 - mean) / std). Default: the mean of the dataset's training images.")
    private List<Double> mean;

    @Size(min = Bounds.INPUT_CHANNELS_MIN, max = Bounds.INPUT_CHANNELS_MAX)
    @JsonPropertyDescription("Per-channel standard deviation the input is divided by (greater than 0). Default: that of the "
            + "dataset's training images.")
    private List<Double> std;

    public Integer getChannels() { return channels; }
    public void setChannels(Integer channels) { this.channels = channels; }
    public Integer getHeight() { return height; }
    public void setHeight(Integer height) { this.height = height; }
    public Integer getWidth() { return width; }
    public void setWidth(Integer width) { this.width = width; }
    public List<Double> getMean() { return mean; }
    public void setMean(List<Double> mean) { this.mean = mean; }
    public List<Double> getStd() { return std; }
    public void setStd(List<Double> std) { this.std = std; }
}
