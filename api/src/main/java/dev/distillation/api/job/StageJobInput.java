package dev.distillation.api.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.distillation.api.v1alpha1.InputSpec;
import java.util.List;
import java.util.Objects;

/**
 * The images a TorchScript network expects, as version 1 of the StageJob contract carries them (the
 * chain's {@link InputSpec}): channels, height and width, and the per-channel normalisation, or none
 * (mean and std null) for the dataset's own statistics.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StageJobInput {

    private final Integer channels;
    private final Integer height;
    private final Integer width;
    private final List<Double> mean;
    private final List<Double> std;

    @JsonCreator
    public StageJobInput(@JsonProperty("channels") Integer channels, @JsonProperty("height") Integer height,
                         @JsonProperty("width") Integer width, @JsonProperty("mean") List<Double> mean,
                         @JsonProperty("std") List<Double> std) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.mean = mean == null ? null : List.copyOf(mean);
        this.std = std == null ? null : List.copyOf(std);
    }

    public static StageJobInput of(InputSpec input) {
        return input == null ? null
                : new StageJobInput(input.getChannels(), input.getHeight(), input.getWidth(), input.getMean(), input.getStd());
    }

    public Integer getChannels() { return channels; }
    public Integer getHeight() { return height; }
    public Integer getWidth() { return width; }
    public List<Double> getMean() { return mean; }
    public List<Double> getStd() { return std; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageJobInput i && Objects.equals(channels, i.channels) && Objects.equals(height, i.height)
                && Objects.equals(width, i.width) && Objects.equals(mean, i.mean) && Objects.equals(std, i.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width, mean, std);
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
