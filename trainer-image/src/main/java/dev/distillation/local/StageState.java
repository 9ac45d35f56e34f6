package dev.distillation.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.trainer.StageTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a stage's folder holds from earlier runs.
 *
 * @param completedFingerprint content of the {@code fingerprint} file the trainer writes last, or null
 * @param startedFingerprint   fingerprint of the StageJob a previous run started there ({@value #JOB_FILE}), or null
 * @param empty                true when the folder is missing or empty
 * @param checkpointed         true when the folder holds a complete epoch checkpoint to resume from
 */
public record StageState(String completedFingerprint, String startedFingerprint, boolean empty, boolean checkpointed) {

    /** The trainer writes this file, holding the job's fingerprint, last: its presence means the stage finished. */
    public static final String FINGERPRINT_FILE = "fingerprint";
    /** The local runner writes the StageJob here before training starts, so an interrupted stage can be resumed. */
    public static final String JOB_FILE = "stagejob.json";

    public static final StageState ABSENT = new StageState(null, null, true, false);

    public static StageState read(Path dir, ObjectMapper json) throws IOException {
        if (!Files.isDirectory(dir)) {
            return ABSENT;
        }
        boolean empty;
        try (Stream<Path> files = Files.list(dir)) {
            empty = files.findAny().isEmpty();
        }
        String completed = null;
        Path fp = dir.resolve(FINGERPRINT_FILE);
        if (Files.isRegularFile(fp)) {
            completed = Files.readString(fp).strip();
        }
        String started = null;
        Path job = dir.resolve(JOB_FILE);
        if (Files.isRegularFile(job)) {
            try {
                JsonNode node = json.readTree(job.toFile());
                started = node.path("fingerprint").asText(null);
            } catch (IOException unreadable) {
                started = null; // a half-written file from a killed run: treat as unknown
            }
        }
        return new StageState(completed, started, empty, StageTrainer.hasCheckpoint(dir));
    }
}
