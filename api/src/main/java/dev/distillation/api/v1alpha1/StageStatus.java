package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageStatus {

    @JsonPropertyDescription("The stage's name.")
    private String name;

    @JsonPropertyDescription("Waiting, Pending, Running, Succeeded, Failed or Skipped.")
    private StagePhase phase;

    @JsonPropertyDescription("The stage's current (or last) Pod.")
    private String pod;

    @JsonPropertyDescription("Pods created for this stage so far.")
    private Integer attempts;

    @JsonPropertyDescription("Attempts that failed because the trainer failed (counted against backoffLimit).")
    private Integer failures;

    @JsonPropertyDescription("Pods of this stage lost to disruptions: eviction, preemption, node loss, deletion from outside "
            + "(counted against disruptionLimit).")
    private Integer disruptions;

    @JsonPropertyDescription("When the stage's first Pod was created (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the stage finished (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("Set when this chain did not train the stage's result but reused one that an earlier chain of the "
            + "same name completed at this time (RFC 3339) and left on the stage's volume; the trainer checked the volume's "
            + "fingerprint and checksums before it was reused.")
    private String reusedFrom;

    @JsonPropertyDescription("Where the stage's model is stored.")
    private CheckpointRef checkpoint;

    @JsonPropertyDescription("Where the stage's network, exported for serving, is stored once the stage succeeded: a folder "
            + "holding model.pt (a torchscript network: TorchScript, loadable by PyTorch and DJL) or model-0000.params (a built-in "
            + "network, in DJL's format), model.json (input shape, normalisation, classes), synset.txt (class names) and "
            + "serving.properties (how DJL loads the folder); distill predict reads it.")
    private CheckpointRef export;

    @JsonPropertyDescription("Hash of the stage's resolved settings, its teacher's fingerprint and the dataset; an edit that changes it re-runs the stage.")
    private String fingerprint;

    @JsonPropertyDescription("Final results reported by the trainer.")
    private StageMetrics metrics;

    @JsonPropertyDescription("Live training progress of the stage's running Pod, as its trainer last reported it (read from the "
            + "trainer every few seconds, written here at most once per epoch); absent when no Pod of the stage trains.")
    private StageProgress progress;

    @JsonPropertyDescription("For a stage that lists candidates: the candidate it chose (the highest validation accuracy of those "
            + "that succeeded, then the lower validation loss, then the one listed first), once every candidate ended. Its students "
            + "mount that candidate's volume and learn from its fingerprint; the stage's checkpoint, fingerprint and metrics are "
            + "that candidate's.")
    private String selected;

    @JsonPropertyDescription("For a stage that lists candidates: one row per candidate, in the order they are listed.")
    private List<CandidateStatus> candidates;

    @JsonPropertyDescription("Why the stage is where it is, e.g. the scheduler's reason for a Pending Pod or the trainer's error.")
    private String message;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public StagePhase getPhase() { return phase; }
    public void setPhase(StagePhase phase) { this.phase = phase; }
    public String getPod() { return pod; }
    public void setPod(String pod) { this.pod = pod; }
    public Integer getAttempts() { return attempts; }
    public void setAttempts(Integer attempts) { this.attempts = attempts; }
    public Integer getFailures() { return failures; }
    public void setFailures(Integer failures) { this.failures = failures; }
    public Integer getDisruptions() { return disruptions; }
    public void setDisruptions(Integer disruptions) { this.disruptions = disruptions; }
    public String getStartTime() { return startTime; }
    public void setStartTime(String startTime) { this.startTime = startTime; }
    public String getCompletionTime() { return completionTime; }
    public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
    public String getReusedFrom() { return reusedFrom; }
    public void setReusedFrom(String reusedFrom) { this.reusedFrom = reusedFrom; }
    public CheckpointRef getCheckpoint() { return checkpoint; }
    public void setCheckpoint(CheckpointRef checkpoint) { this.checkpoint = checkpoint; }
    public CheckpointRef getExport() { return export; }
    public void setExport(CheckpointRef export) { this.export = export; }
    public String getFingerprint() { return fingerprint; }
    public void setFingerprint(String fingerprint) { this.fingerprint = fingerprint; }
    public StageMetrics getMetrics() { return metrics; }
    public void setMetrics(StageMetrics metrics) { this.metrics = metrics; }
    public StageProgress getProgress() { return progress; }
    public void setProgress(StageProgress progress) { this.progress = progress; }
    public String getSelected() { return selected; }
    public void setSelected(String selected) { this.selected = selected; }
    public List<CandidateStatus> getCandidates() { return candidates; }
    public void setCandidates(List<CandidateStatus> candidates) { this.candidates = candidates; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageStatus s && Objects.equals(name, s.name) && phase == s.phase
                && Objects.equals(pod, s.pod) && Objects.equals(attempts, s.attempts)
                && Objects.equals(failures, s.failures) && Objects.equals(disruptions, s.disruptions) && Objects.equals(startTime, s.startTime)
                && Objects.equals(completionTime, s.completionTime) && Objects.equals(reusedFrom, s.reusedFrom)
                && Objects.equals(checkpoint, s.checkpoint) && Objects.equals(export, s.export)
                && Objects.equals(fingerprint, s.fingerprint) && Objects.equals(metrics, s.metrics)
                && Objects.equals(progress, s.progress) && Objects.equals(selected, s.selected)
                && Objects.equals(candidates, s.candidates) && Objects.equals(message, s.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, phase, pod, attempts, failures, disruptions, startTime, completionTime, reusedFrom, checkpoint, export, fingerprint,
                metrics, progress, selected, candidates, message);
    }
}
