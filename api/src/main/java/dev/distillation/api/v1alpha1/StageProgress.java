package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A running stage's training progress. The trainer serves exactly this object as JSON while it trains
 * ({@code GET /progress} on its progress port); the operator reads it from there into
 * {@code status.stages[].progress}. Every value describes the end of the latest epoch, so it changes
 * once per epoch, not on every read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StageProgress {

    @JsonPropertyDescription("Epochs completed (0 while the first epoch trains).")
    private Integer epoch;

    @JsonPropertyDescription("Epochs the stage trains in all.")
    private Integer epochs;

    @JsonPropertyDescription("Accuracy on the test split after the latest epoch, 0..1.")
    private Double testAccuracy;

    @JsonPropertyDescription("Mean cross-entropy on the test split after the latest epoch.")
    private Double testLoss;

    @JsonPropertyDescription("Training throughput of the latest epoch, in images per second.")
    private Double samplesPerSecond;

    @JsonPropertyDescription("When the trainer expects to finish, from the mean time of the epochs it trained so far (RFC 3339).")
    private String estimatedCompletionTime;

    @JsonPropertyDescription("When the trainer reported this: the end of the latest epoch, or the start of training (RFC 3339).")
    private String updateTime;

    public Integer getEpoch() { return epoch; }
    public void setEpoch(Integer epoch) { this.epoch = epoch; }
    public Integer getEpochs() { return epochs; }
    public void setEpochs(Integer epochs) { this.epochs = epochs; }
    public Double getTestAccuracy() { return testAccuracy; }
    public void setTestAccuracy(Double testAccuracy) { this.testAccuracy = testAccuracy; }
    public Double getTestLoss() { return testLoss; }
    public void setTestLoss(Double testLoss) { this.testLoss = testLoss; }
    public Double getSamplesPerSecond() { return samplesPerSecond; }
    public void setSamplesPerSecond(Double samplesPerSecond) { this.samplesPerSecond = samplesPerSecond; }
    public String getEstimatedCompletionTime() { return estimatedCompletionTime; }
    public void setEstimatedCompletionTime(String estimatedCompletionTime) { this.estimatedCompletionTime = estimatedCompletionTime; }
    public String getUpdateTime() { return updateTime; }
    public void setUpdateTime(String updateTime) { this.updateTime = updateTime; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageProgress p && Objects.equals(epoch, p.epoch) && Objects.equals(epochs, p.epochs)
                && Objects.equals(testAccuracy, p.testAccuracy) && Objects.equals(testLoss, p.testLoss)
                && Objects.equals(samplesPerSecond, p.samplesPerSecond)
                && Objects.equals(estimatedCompletionTime, p.estimatedCompletionTime) && Objects.equals(updateTime, p.updateTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, epochs, testAccuracy, testLoss, samplesPerSecond, estimatedCompletionTime, updateTime);
    }

    @Override
    public String toString() {
        return "StageProgress{epoch=" + epoch + "/" + epochs + ", testAccuracy=" + testAccuracy + ", updateTime=" + updateTime + "}";
    }
}
