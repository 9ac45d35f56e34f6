package dev.distillation.local;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobFactory;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.VolumeDataset;
import dev.distillation.local.LocalRunner.BadInputException;
import dev.distillation.trainer.StageFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The folders of a local run: {@code <workdir>/<chain>/} with one folder per stage, and the local
 * folders standing in for the chain's volumes (its dataset, pretrained checkpoints). It knows where
 * each stage's job reads and writes, so it also builds the stage's {@link StageJob}.
 */
final class Workspace {

    private final Path chainDir;
    private final String chain;
    private final DistillationChainSpec spec;
    private final Integer maxTrainSamples;
    private final String dataDir;
    private final Map<String, String> pretrainedDirs;
    /** Stages that chose among candidates: stage name → the chosen candidate's name, whose folder holds the result. */
    private final Map<String, String> chosen = new LinkedHashMap<>();
    private final Map<String, String> modelFiles;

    private Workspace(Path chainDir, String chain, DistillationChainSpec spec, Integer maxTrainSamples, String dataDir,
                      Map<String, String> pretrainedDirs, Map<String, String> modelFiles) {
        this.chainDir = chainDir;
        this.chain = chain;
        this.spec = spec;
        this.maxTrainSamples = maxTrainSamples;
        this.dataDir = dataDir;
        this.pretrainedDirs = pretrainedDirs;
        this.modelFiles = modelFiles;
    }

    /**
     * The workspace of {@code chain}, whose {@code spec} (as this run trains it) lists {@code stages}
     * teachers first; bad input when a volume has no local folder.
     */
    static Workspace open(LocalRunner.Settings settings, String chain, DistillationChainSpec spec, List<StageSpec> stages)
            throws BadInputException {
        Path chainDir = settings.workdir().resolve(chain).toAbsolutePath().normalize();
        VolumeDataset volume = spec.getDataset().getVolume();
        String dataDir = volume == null ? null
                : localPath("spec.dataset.volume", volume.getClaimName(), volume.effectivePath(), settings.volumes(), false);
        Map<String, String> pretrained = new LinkedHashMap<>();
        Map<String, String> modelFiles = new LinkedHashMap<>();
        for (StageSpec s : stages) {
            // a torchscript stage's pretrained path may be its file rather than a folder
            boolean torchscript = !s.getModel().getArchitecture().builtin();
            if (s.getPretrained() != null) {
                pretrained.put(s.getName(), localPath("stage '" + s.getName() + "' pretrained",
                        s.getPretrained().getClaimName(), s.getPretrained().effectivePath(), settings.volumes(), torchscript));
            }
            if (s.getModel().getTorchscript() != null) {
                modelFiles.put(s.getName(), localPath("stage '" + s.getName() + "' model.torchscript",
                        s.getModel().getTorchscript().getClaimName(), s.getModel().getTorchscript().getPath(), settings.volumes(), true));
            }
        }
        return new Workspace(chainDir, chain, spec, settings.overrides().maxTrainSamples(), dataDir, pretrained, modelFiles);
    }

    /** The local path of {@code pathInClaim} on volume {@code claim}: a folder, or when {@code fileAllowed} a file too. */
    private static String localPath(String what, String claim, String pathInClaim, Map<String, Path> volumes, boolean fileAllowed)
            throws BadInputException {
        Path root = volumes.get(claim);
        if (root == null) {
            throw new BadInputException(what + " is on the volume '" + claim + "', which only exists in a cluster: "
                    + "give a local folder holding its files with --volume " + claim + "=/path/to/folder");
        }
        String sub = pathInClaim == null ? "" : pathInClaim.replaceFirst("^/+", "");
        Path folder = (sub.isEmpty() ? root : root.resolve(sub)).toAbsolutePath().normalize();
        if (fileAllowed && Files.isRegularFile(folder)) {
            return folder.toString();
        }
        if (!Files.isDirectory(folder)) {
            throw new BadInputException(what + ": no " + (fileAllowed ? "file or folder " : "folder ") + folder + " (volume '" + claim + "' is mapped to " + root + ")");
        }
        return folder.toString();
    }

    Path chainDir() {
        return chainDir;
    }

    Path stageDir(String stage) {
        return chainDir.resolve(stage);
    }

    /** From now on, the stages that learn from {@code stage} learn from its candidate {@code candidate}. */
    void choose(String stage, String candidate) {
        chosen.put(stage, candidate);
    }

    /** The folder holding {@code stage}'s result: its own, or that of the candidate it chose. */
    Path resultDir(String stage) {
        return stageDir(chosen.getOrDefault(stage, stage));
    }

    /** What each stage's folder holds from earlier runs. */
    Map<String, StageState> states(List<StageSpec> stages) throws IOException {
        Map<String, StageState> states = new LinkedHashMap<>();
        for (StageSpec s : stages) {
            states.put(s.getName(), StageState.read(stageDir(s.getName()), LocalRunner.JSON));
        }
        return states;
    }

    /**
     * Makes {@code stage}'s folder ready for its trainer (emptied first when {@code clean}) and records
     * there the job it is about to run, so that an interrupted run can be resumed; returns the job.
     */
    StageJob prepare(StageSpec stage, String fingerprint, boolean clean) throws IOException {
        Path dir = stageDir(stage.getName());
        if (clean) {
            emptyFolder(dir);
        }
        Files.createDirectories(dir);
        StageJob job = job(stage, fingerprint).withMaxTrainSamples(maxTrainSamples);
        LocalRunner.JSON.writeValue(StageFolder.of(dir).job().toFile(), job);
        return job;
    }

    private StageJob job(StageSpec stage, String fingerprint) {
        String teacherDir = stage.getTeacher() == null ? null : resultDir(stage.getTeacher()).toString();
        return StageJobFactory.create(spec, chain, stage, fingerprint, new StageJobFactory.Paths(teacherDir,
                stageDir(stage.getName()).toString(), dataDir, pretrainedDirs.get(stage.getName()),
                modelFiles.get(stage.getName())));
    }

    /** Removes everything inside {@code dir} (results of other settings), keeping the folder. */
    static void emptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
