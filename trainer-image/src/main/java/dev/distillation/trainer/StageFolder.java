package dev.distillation.trainer;

import dev.distillation.api.v1alpha1.StageMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * model.params                  the network's parameters (DJL's format), for a network the trainer builds
 * model.pt                      instead of model.params, for a torchscript network: the trained TorchScript file
 * model.json                    what model.params or model.pt holds ({@link ModelInfo})
 * metrics.json                  final metrics and learning curve ({@link MetricsFile})
 * export/                       the network exported for serving ({@link ServingExport}), written before the fingerprint
 * checkpoints/epoch-NNNN/       one per epoch: model.params, optimizer.ndlist, state.json
 * checkpoints/.tmp-epoch-NNNN/  a checkpoint being written (never read)
 * stagejob.json                 the StageJob a local run started here
 * SHA256SUMS                    checksums of model.params (or model.pt), model.json and metrics.json (sha256sum's format),
 *                               written when the stage completes: a result is trusted only while they match
 * fingerprint                   the job's fingerprint, written last: the stage is complete and reusable
 * </pre>
 *
 * A pretrained checkpoint's folder holds the first two.
 */
public record StageFolder(Path dir) {

    private static final Logger LOG = LoggerFactory.getLogger(StageFolder.class);

    public static final String PARAMS = "model.params";
    public static final String TORCHSCRIPT = "model.pt";
    public static final String MODEL_INFO = "model.json";
    public static final String METRICS = "metrics.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String JOB = "stagejob.json";
    public static final String FINGERPRINT = "fingerprint";
    public static final String CHECKSUMS = "SHA256SUMS";
    /** The files of a completed stage that {@link #CHECKSUMS} covers, besides its weights ({@link #weights()}). */
    static final List<String> CHECKSUMMED = List.of(MODEL_INFO, METRICS);
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

    public Path torchscript() {
        return dir.resolve(TORCHSCRIPT);
    }

    /** The network's weights: model.pt when the folder holds a TorchScript network, else model.params. */
    public Path weights() {
        return Files.isRegularFile(torchscript()) ? torchscript() : params();
    }

    private static List<String> checksummed(String weights) {
        List<String> names = new ArrayList<>(List.of(weights));
        names.addAll(CHECKSUMMED);
        return names;
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

    public Path checksums() {
        return dir.resolve(CHECKSUMS);
    }

    /**
     * What is wrong with the completed result in this folder: a file the checksums cover that is
     * missing or differs from its checksum (the folder was changed after the stage completed), or no
     * checksums at all. Empty when every file matches.
     */
    public Optional<String> verify() throws IOException {
        if (!Files.isRegularFile(checksums())) {
            return Optional.of(checksums() + " is missing (every completed stage writes it)");
        }
        Map<String, String> recorded = new HashMap<>();
        for (String line : Files.readAllLines(checksums(), StandardCharsets.UTF_8)) {
            String[] parts = line.strip().split("\\s+\\*?", 2);
            if (parts.length == 2) {
                recorded.put(parts[1], parts[0]);
            }
        }
        if (!recorded.containsKey(PARAMS) && !recorded.containsKey(TORCHSCRIPT)) {
            return Optional.of(checksums() + " has no checksum of " + PARAMS + " or " + TORCHSCRIPT);
        }
        for (String name : checksummed(recorded.containsKey(TORCHSCRIPT) ? TORCHSCRIPT : PARAMS)) {
            Path file = dir.resolve(name);
            String want = recorded.get(name);
            if (want == null) {
                return Optional.of(checksums() + " has no checksum of " + name);
            }
            if (!Files.isRegularFile(file)) {
                return Optional.of(file + " is missing");
            }
            if (!want.equalsIgnoreCase(sha256(file))) {
                return Optional.of(file + " does not match its checksum in " + CHECKSUMS + ": it changed after the stage completed");
            }
        }
        return Optional.empty();
    }

    /** Marks the stage complete: checksums of its result, then the fingerprint, the last file written. */
    public void markComplete(String fingerprint) throws IOException {
        StringBuilder sums = new StringBuilder();
        for (String name : checksummed(weights().getFileName().toString())) {
            sums.append(sha256(dir.resolve(name))).append("  ").append(name).append('\n');
        }
        Json.writeString(checksums(), sums.toString());
        Json.writeString(fingerprint(), fingerprint);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The metrics recorded here when the stage completed with {@code fingerprint} and its files still match; else null. */
    StageMetrics completedMetrics(String fingerprint) {
        try {
            if (!fingerprint.equals(completedFingerprint())) {
                return null;
            }
            Optional<String> changed = verify();
            if (changed.isPresent()) {
                LOG.warn("{} holds this stage's fingerprint but its result does not verify ({}); training again", dir, changed.get());
                return null;
            }
            MetricsFile m = Json.read(metrics(), MetricsFile.class);
            if (m.finalMetrics() != null && Files.isRegularFile(weights())) {
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

    /** Removes the mark of a completed stage of other settings before this one starts writing. */
    void removeFingerprint() throws IOException {
        Files.deleteIfExists(fingerprint());
        Files.deleteIfExists(checksums());
    }
}
