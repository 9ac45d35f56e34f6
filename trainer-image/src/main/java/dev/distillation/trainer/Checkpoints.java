package dev.distillation.trainer;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints in {@code <output>/checkpoints/epoch-NNNN/}: the network's parameters
 * (including BatchNorm running statistics), the optimiser state and {@code state.json} (epoch,
 * fingerprint, learning curve so far, SHA-256 of the other files). A checkpoint is written in a
 * temporary folder and renamed into place, so a trainer killed mid-write leaves only a
 * {@code .tmp-*} folder that is never read; a checkpoint whose files do not match their recorded
 * checksums, or that fails to load, is skipped with a warning in favour of the one before it.
 */
final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String PARAMS = StageFolder.PARAMS;
    private static final String OPTIMIZER = StageFolder.OPTIMIZER;
    private static final String STATE = StageFolder.CHECKPOINT_STATE;
    /** Complete checkpoints kept while training (older ones are deleted). */
    static final int KEEP = 2;

    /** state.json. */
    record State(int epoch, String fingerprint, long optimizerSteps, List<EpochResult> history, Map<String, String> sha256) {}

    /** A checkpoint that loaded. */
    record Restored(State state, Path dir) {}

    private final StageFolder folder;
    private final Path root;

    Checkpoints(StageFolder folder) {
        this.folder = folder;
        this.root = folder.checkpoints();
    }

    void save(int epoch, String fingerprint, Block block, ParameterUpdater updater, List<EpochResult> history) throws IOException {
        Files.createDirectories(root);
        Path tmp = folder.checkpointInProgress(epoch);
        ModelFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        Map<String, String> sums = new LinkedHashMap<>();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(PARAMS)), 1 << 16);
             DataOutputStream dos = new DataOutputStream(os)) {
            block.saveParameters(dos);
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(OPTIMIZER)), 1 << 16)) {
            updater.state().encode(os);
        }
        sums.put(PARAMS, sha256(tmp.resolve(PARAMS)));
        sums.put(OPTIMIZER, sha256(tmp.resolve(OPTIMIZER)));
        Json.write(tmp.resolve(STATE), new State(epoch, fingerprint, updater.steps(), List.copyOf(history), sums));
        Path target = folder.checkpoint(epoch);
        ModelFiles.deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        prune(KEEP);
    }

    /** Deletes all but the newest {@code keep} complete checkpoints, and leftover temporary folders. */
    void prune(int keep) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> complete = complete();
        for (int i = keep; i < complete.size(); i++) {
            ModelFiles.deleteTree(complete.get(i));
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(StageFolder::isCheckpointInProgress).toList()) {
                ModelFiles.deleteTree(p);
            }
        }
    }

    /** Complete checkpoint folders, newest first. */
    List<Path> complete() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(StageFolder::isCheckpoint)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
    }

    /**
     * Loads the newest usable checkpoint of {@code fingerprint} into {@code block} and {@code updater};
     * null when there is none. Checkpoints of another fingerprint are ignored.
     */
    Restored restoreLatest(String fingerprint, Block block, ParameterUpdater updater, NDManager manager, int maxEpoch) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Path dir : complete()) {
            State state;
            try {
                state = Json.read(dir.resolve(STATE), State.class);
            } catch (IOException e) {
                LOG.warn("Skipping checkpoint {}: {} is unreadable ({})", dir, STATE, ModelFiles.firstLine(e.getMessage()));
                continue;
            }
            if (!fingerprint.equals(state.fingerprint())) {
                skipped.add(dir.getFileName().toString());
                continue;
            }
            if (state.epoch() < 1 || state.epoch() > maxEpoch || state.history() == null || state.history().size() != state.epoch()) {
                LOG.warn("Skipping checkpoint {}: its state.json says epoch {} (this stage trains {} epochs)", dir, state.epoch(), maxEpoch);
                continue;
            }
            String problem = verify(dir, state);
            if (problem != null) {
                LOG.warn("Skipping corrupt checkpoint {}: {}", dir, problem);
                continue;
            }
            try {
                byte[] params = Files.readAllBytes(dir.resolve(PARAMS));
                try (DataInputStream dis = new DataInputStream(new ByteArrayInputStream(params))) {
                    block.loadParameters(manager, dis);
                }
                updater.rebind(block);
                NDList opt;
                try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER)))) {
                    opt = NDList.decode(manager, in);
                }
                updater.attachGradients();
                boolean ok = updater.restore(opt, state.optimizerSteps());
                opt.close();
                if (!ok) {
                    LOG.warn("Checkpoint {}: optimiser state does not fit this network; momentum restarts from zero", dir);
                }
            } catch (IOException | MalformedModelException | RuntimeException e) {
                LOG.warn("Skipping checkpoint {}: cannot load it ({})", dir, ModelFiles.firstLine(String.valueOf(e.getMessage())));
                continue;
            }
            if (!skipped.isEmpty()) {
                LOG.info("Ignored checkpoints {} of another fingerprint", skipped);
            }
            return new Restored(state, dir);
        }
        if (!skipped.isEmpty()) {
            LOG.info("Ignoring checkpoints {}: they belong to another version of this stage (fingerprint differs)", skipped);
        }
        return null;
    }

    private static String verify(Path dir, State state) throws IOException {
        if (state.sha256() == null) {
            return "state.json lists no checksums";
        }
        for (String f : List.of(PARAMS, OPTIMIZER)) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) {
                return f + " is missing";
            }
            String expected = state.sha256().get(f);
            String actual = sha256(p);
            if (!actual.equals(expected)) {
                return f + " does not match its SHA-256 in state.json (expected " + expected + ", file has " + actual + ")";
            }
        }
        return null;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
