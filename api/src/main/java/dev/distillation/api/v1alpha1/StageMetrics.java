package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * A stage's final results. The trainer writes exactly this object, as compact JSON, to its
 * termination message; the operator copies it into status and the local runner into report.json.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StageMetrics {

    @JsonPropertyDescription("Accuracy on the chain's validation split after the last epoch, 0..1 (only with spec.dataset.validation).")
    private Double validationAccuracy;

    @JsonPropertyDescription("Mean cross-entropy on the chain's validation split after the last epoch (only with spec.dataset.validation).")
    private Double validationLoss;

    @JsonPropertyDescription("Accuracy on the test split after the last epoch, 0..1.")
    private Double testAccuracy;

    @JsonPropertyDescription("Mean cross-entropy on the test split after the last epoch.")
    private Double testLoss;

    @JsonPropertyDescription("Best test accuracy over all epochs, 0..1.")
    private Double bestTestAccuracy;

    @JsonPropertyDescription("Epochs trained.")
    private Integer epochs;

    @JsonPropertyDescription("Wall-clock seconds spent training (all attempts).")
    private Double trainSeconds;

    @JsonPropertyDescription("Training throughput in images per second.")
    private Double samplesPerSecond;

    @JsonPropertyDescription("Devices the stage trained on, e.g. cpu(), gpu(0), or gpu(0),gpu(1) when it trained data parallel on two GPUs.")
    private String device;

    @JsonPropertyDescription("How teacher logits were obtained: none (no teacher), cached (once per dataset) or per-batch.")
    private String teacherLogits;

    @JsonPropertyDescription("Folder, relative to the stage's volume (locally: its folder), where the trainer left the model for serving; absent when it left none.")
    private String export;

    public Double getValidationAccuracy() { return validationAccuracy; }
    public void setValidationAccuracy(Double validationAccuracy) { this.validationAccuracy = validationAccuracy; }
    public Double getValidationLoss() { return validationLoss; }
    public void setValidationLoss(Double validationLoss) { this.validationLoss = validationLoss; }
    public Double getTestAccuracy() { return testAccuracy; }
    public void setTestAccuracy(Double testAccuracy) { this.testAccuracy = testAccuracy; }
    public Double getTestLoss() { return testLoss; }
    public void setTestLoss(Double testLoss) { this.testLoss = testLoss; }
    public Double getBestTestAccuracy() { return bestTestAccuracy; }
    public void setBestTestAccuracy(Double bestTestAccuracy) { this.bestTestAccuracy = bestTestAccuracy; }
    public Integer getEpochs() { return epochs; }
    public void setEpochs(Integer epochs) { this.epochs = epochs; }
    public Double getTrainSeconds() { return trainSeconds; }
    public void setTrainSeconds(Double trainSeconds) { this.trainSeconds = trainSeconds; }
    public String getExport() { return export; }
    public void setExport(String export) { this.export = export; }
    public Double getSamplesPerSecond() { return samplesPerSecond; }
    public void setSamplesPerSecond(Double samplesPerSecond) { this.samplesPerSecond = samplesPerSecond; }
    public String getDevice() { return device; }
    public void setDevice(String device) { this.device = device; }
    public String getTeacherLogits() { return teacherLogits; }
    public void setTeacherLogits(String teacherLogits) { this.teacherLogits = teacherLogits; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageMetrics m && Objects.equals(validationAccuracy, m.validationAccuracy)
                && Objects.equals(validationLoss, m.validationLoss) && Objects.equals(testAccuracy, m.testAccuracy)
                && Objects.equals(testLoss, m.testLoss) && Objects.equals(bestTestAccuracy, m.bestTestAccuracy)
                && Objects.equals(epochs, m.epochs) && Objects.equals(trainSeconds, m.trainSeconds)
                && Objects.equals(samplesPerSecond, m.samplesPerSecond) && Objects.equals(device, m.device)
                && Objects.equals(teacherLogits, m.teacherLogits) && Objects.equals(export, m.export);
    }

    @Override
    public int hashCode() {
        return Objects.hash(validationAccuracy, validationLoss, testAccuracy, testLoss, bestTestAccuracy, epochs, trainSeconds, samplesPerSecond, device, teacherLogits, export);
    }
}
