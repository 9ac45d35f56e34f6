package dev.distillation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.trainer.StageFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a stage's folder holds from earlier runs.
 *
 * @param completedFingerprint content of the {@code fingerprint} file the trainer writes last, or null
 * @param startedFingerprint   fingerprint of the StageJob a previous run started there ({@code stagejob.json},
 *                             which the local runner writes before training starts), or null
 * @param empty                true when the folder is missing or empty
 * @param checkpointed         true when the folder holds a complete epoch checkpoint to resume from
 * @param changed              when a stage completed here but its files no longer match the checksums it
 *                             wrote: what differs (the result must not be reused); else null
 */
public record StageState(String completedFingerprint, String startedFingerprint, boolean empty, boolean checkpointed,
                         String changed) {

    public static final StageState ABSENT = new StageState(null, null, true, false);

    public StageState(String completedFingerprint, String startedFingerprint, boolean empty, boolean checkpointed) {
        this(completedFingerprint, startedFingerprint, empty, checkpointed, null);
    }

    public static StageState read(Path dir, ObjectMapper json) throws IOException {
        if (!Files.isDirectory(dir)) {
            return ABSENT;
        }
        boolean empty;
        try (Stream<Path> files = Files.list(dir)) {
            empty = files.findAny().isEmpty();
        }
        StageFolder folder = StageFolder.of(dir);
        String completed = folder.completedFingerprint();
        String started = null;
        Path job = folder.job();
        if (Files.isRegularFile(job)) {
            try {
                JsonNode node = json.readTree(job.toFile());
                started = node.path("fingerprint").asText(null);
            } catch (IOException unreadable) {
                started = null; // a half-written file from a killed run: treat as unknown
            }
        }
        String changed = completed == null ? null : folder.verify().orElse(null);
        return new StageState(completed, started, empty, folder.hasCheckpoint(), changed);
    }
}
