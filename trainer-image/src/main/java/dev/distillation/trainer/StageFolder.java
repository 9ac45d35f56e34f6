package dev.distillation.trainer;

import dev.distillation.api.v1alpha1.StageMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage's folder and the name of every file in it. The trainer writes it (a stage Pod's
 * {@code /output}, a {@code distill run} stage folder), students read their teacher's through it, and
 * the local runner reads what earlier runs left there:
 *
 * <pre>
 * model.params                  the network's parameters (DJL's format)
 * model.json                    what model.params holds ({@link ModelInfo})
 * metrics.json                  final metrics and learning curve ({@link MetricsFile})
 * checkpoints/epoch-NNNN/       one per epoch: model.params, optimizer.ndlist, state.json
 * checkpoints/.tmp-epoch-NNNN/  a checkpoint being written (never read)
 * stagejob.json                 the StageJob a local run started here
 * fingerprint                   the job's fingerprint, written last: the stage is complete and reusable
 * </pre>
 *
 * A pretrained checkpoint's folder holds the first two.
 */
public record StageFolder(Path dir) {

    private static final Logger LOG = LoggerFactory.getLogger(StageFolder.class);

    public static final String PARAMS = "model.params";
    public static final String MODEL_INFO = "model.json";
    public static final String METRICS = "metrics.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String JOB = "stagejob.json";
    public static final String FINGERPRINT = "fingerprint";
    /** In a checkpoint folder, beside model.params: the optimiser's state and the checkpoint's own description. */
    static final String OPTIMIZER = "optimizer.ndlist";
    static final String CHECKPOINT_STATE = "state.json";
    private static final String IN_PROGRESS = ".tmp-";

    public static StageFolder of(Path dir) {
        return new StageFolder(dir);
    }

    public Path params() {
        return dir.resolve(PARAMS);
    }

    public Path modelInfo() {
        return dir.resolve(MODEL_INFO);
    }

    public Path metrics() {
        return dir.resolve(METRICS);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /** {@code checkpoints/epoch-NNNN}. */
    public Path checkpoint(int epoch) {
        return checkpoints().resolve(String.format("epoch-%04d", epoch));
    }

    /** Where the checkpoint of {@code epoch} is written before it is renamed to {@link #checkpoint(int)}. */
    Path checkpointInProgress(int epoch) {
        return checkpoints().resolve(IN_PROGRESS + checkpoint(epoch).getFileName());
    }

    static boolean isCheckpoint(Path p) {
        return Files.isDirectory(p) && p.getFileName().toString().matches("epoch-\\d{4,}");
    }

    static boolean isCheckpointInProgress(Path p) {
        return p.getFileName().toString().startsWith(IN_PROGRESS);
    }

    public Path job() {
        return dir.resolve(JOB);
    }

    public Path fingerprint() {
        return dir.resolve(FINGERPRINT);
    }

    /** The fingerprint of the stage that completed here, or null when none did. */
    public String completedFingerprint() throws IOException {
        Path fp = fingerprint();
        return Files.isRegularFile(fp) ? Files.readString(fp, StandardCharsets.UTF_8).strip() : null;
    }

    /** Whether the folder holds at least one complete epoch checkpoint (of any fingerprint). */
    public boolean hasCheckpoint() throws IOException {
        return !new Checkpoints(this).complete().isEmpty();
    }

    /** The metrics recorded here when the stage completed with {@code fingerprint}; else null. */
    StageMetrics completedMetrics(String fingerprint) {
        try {
            if (!fingerprint.equals(completedFingerprint())) {
                return null;
            }
            MetricsFile m = Json.read(metrics(), MetricsFile.class);
            if (m.finalMetrics() != null && Files.isRegularFile(params())) {
                return m.finalMetrics();
            }
        } catch (IOException e) {
            LOG.warn("{} holds this stage's fingerprint but {} is unreadable ({}); training again", dir, METRICS,
                    ModelFiles.firstLine(e.getMessage()));
        }
        return null;
    }

    void writeMetrics(MetricsFile metrics) throws IOException {
        Json.write(metrics(), metrics);
    }

    /** Marks the stage complete: the last file written. */
    void writeFingerprint(String fingerprint) throws IOException {
        Json.writeString(fingerprint(), fingerprint);
    }

    /** Removes the mark of a completed stage of other settings before this one starts writing. */
    void removeFingerprint() throws IOException {
        Files.deleteIfExists(fingerprint());
    }
}
