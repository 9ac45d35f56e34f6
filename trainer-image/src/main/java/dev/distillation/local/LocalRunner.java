package dev.distillation.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobFactory;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.VolumeDataset;
import dev.distillation.local.RunPlan.Action;
import dev.distillation.local.RunPlan.Step;
import dev.distillation.local.StageExecutor.StageFailedException;
import dev.distillation.local.StageReport.Outcome;
import dev.distillation.trainer.StageFolder;
import dev.distillation.trainer.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code distill run} without the command line: trains a validated chain's stages in turn under
 * {@code <workdir>/<chain>/<stage>/}, reusing stages whose folder holds a result with the same
 * fingerprint, and writes report.json, report.md and accuracy.png to {@code <workdir>/<chain>/}.
 */
public final class LocalRunner {

    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MD = "report.md";
    public static final String PLOT_PNG = "accuracy.png";

    /**
     * @param workdir   runs go to {@code workdir/<chain>/}
     * @param overrides smoke-run overrides for every stage
     * @param volumes   local folders standing in for PersistentVolumeClaims (dataset and pretrained volumes), by claim name
     */
    public record Settings(Path workdir, Overrides overrides, Map<String, Path> volumes) {
        public Settings {
            overrides = overrides == null ? Overrides.NONE : overrides;
            volumes = volumes == null ? Map.of() : Map.copyOf(volumes);
        }
    }

    /**
     * @param exitCode 0 when every stage has a result, 1 when a stage failed, 2 when the trainer found bad input
     *                 (a missing dataset or teacher file...): the run stopped there
     * @param report   what report.json holds
     * @param chainDir the chain's folder
     * @param badInput the trainer's message when {@code exitCode} is 2, else null
     */
    public record Result(int exitCode, RunReport report, Path chainDir, String badInput) {}

    /** Input the run cannot start with (exit code 2): the message tells what to fix. */
    public static final class BadInputException extends Exception {
        public BadInputException(String message) {
            super(message);
        }
    }

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final StageExecutor executor;
    private final TrainingListener listener;
    private final PrintWriter out;
    private volatile String runningStage;
    private volatile Path runningDir;

    public LocalRunner(StageExecutor executor, TrainingListener listener, PrintWriter out) {
        this.executor = executor;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.out = out;
    }

    /** The stage being trained now and its folder, for an interrupt message; null between stages. */
    public String runningStage() {
        return runningStage;
    }

    public Path runningDir() {
        return runningDir;
    }

    /** Runs a chain that passed ChainValidator. */
    public Result run(DistillationChain chain, Settings settings) throws BadInputException, IOException {
        long start = System.nanoTime();
        String name = chain.getMetadata().getName();
        Overrides overrides = settings.overrides();
        DistillationChainSpec spec = overrides.apply(chain.getSpec());
        StageGraph graph = StageGraph.of(spec);
        List<StageSpec> order = graph.topologicalOrder();
        Map<String, String> fingerprints = overrides.fingerprints(spec);
        String dataDir = dataDir(spec, settings);
        Map<String, String> pretrainedDirs = pretrainedDirs(order, settings);

        Path chainDir = settings.workdir().resolve(name).toAbsolutePath().normalize();
        Map<String, StageState> states = new LinkedHashMap<>();
        for (StageSpec s : order) {
            states.put(s.getName(), StageState.read(chainDir.resolve(s.getName()), JSON));
        }
        RunPlan plan = RunPlan.of(order, fingerprints, states);
        out.printf(Locale.ROOT, "Chain %s: %d stages in %s (%d to train, %d to resume, %d up to date)%s%n",
                name, order.size(), chainDir, plan.count(Action.TRAIN), plan.count(Action.RESUME), plan.count(Action.REUSE),
                overrides.isEmpty() ? "" : "; overrides: " + overrides.describe());

        StageOutputs outputs = new StageOutputs(JSON);
        Map<String, StageReport> reports = new LinkedHashMap<>();
        Set<String> unavailable = new HashSet<>();
        boolean failed = false;
        String badInput = null;
        for (StageSpec stage : order) {
            String stageName = stage.getName();
            Step step = plan.step(stageName);
            Path dir = chainDir.resolve(stageName);
            String fp = fingerprints.get(stageName);
            String teacherText = stage.getTeacher() == null ? "from labels" : "from " + stage.getTeacher();
            if (badInput != null) {
                reports.put(stageName, report(stage, false, Outcome.SKIPPED, "the run stopped on bad input", fp, null, List.of()));
                continue;
            }
            if (stage.getTeacher() != null && unavailable.contains(stage.getTeacher())) {
                unavailable.add(stageName);
                out.printf(Locale.ROOT, "- %s: skipped (teacher '%s' has no result)%n", stageName, stage.getTeacher());
                reports.put(stageName, report(stage, false, Outcome.SKIPPED,
                        "teacher '" + stage.getTeacher() + "' has no result", fp, null, List.of()));
                continue;
            }
            if (step.action() == Action.REUSE) {
                StageOutputs.Result r = outputs.read(dir);
                out.printf(Locale.ROOT, "= %s (%s, %s): reused, up to date (fingerprint %s)%s%n", stageName,
                        model(stage), teacherText, Fingerprints.shortForm(fp),
                        r.metrics() == null ? "" : ": test acc " + Reports.percent(r.metrics().getTestAccuracy()));
                reports.put(stageName, report(stage, true, Outcome.REUSED, null, fp, r.metrics(), r.curve()));
                continue;
            }
            if (step.clean()) {
                emptyFolder(dir);
            }
            Files.createDirectories(dir);
            StageJob job = job(spec, name, stage, fp, chainDir, dataDir, pretrainedDirs.get(stageName), overrides);
            JSON.writeValue(StageFolder.of(dir).job().toFile(), job);
            int epochs = job.training().getEpochs();
            out.printf(Locale.ROOT, "> %s (%s, %s): %s %d epoch%s: %s%n", stageName, model(stage), teacherText,
                    step.action() == Action.RESUME ? "resuming, of" : "training", epochs, epochs == 1 ? "" : "s", step.reason());
            runningStage = stageName;
            runningDir = dir;
            StageMetrics metrics;
            try {
                metrics = executor.run(job, listener);
            } catch (StageFailedException e) {
                if (e.exitCode() == 2) {
                    badInput = e.getMessage();
                } else {
                    failed = true;
                }
                unavailable.add(stageName);
                out.printf(Locale.ROOT, "! %s failed: %s%n", stageName, e.getMessage());
                reports.put(stageName, report(stage, false, Outcome.FAILED, e.getMessage(), fp, null, List.of()));
                continue;
            } finally {
                runningStage = null;
                runningDir = null;
            }
            StageOutputs.Result r = outputs.read(dir);
            StageMetrics m = metrics != null ? metrics : r.metrics();
            if (m != null) {
                StageOutputs.fillFromCurve(m, r.curve());
            }
            out.printf(Locale.ROOT, "  %s: test acc %s in %s%n", stageName,
                    m == null ? "-" : Reports.percent(m.getTestAccuracy()), m == null ? "-" : Reports.duration(m.getTrainSeconds()));
            reports.put(stageName, report(stage, false,
                    step.action() == Action.RESUME ? Outcome.RESUMED : Outcome.TRAINED, null, fp, m, r.curve()));
        }

        Map<String, List<String>> ancestors = new LinkedHashMap<>();
        order.forEach(s -> ancestors.put(s.getName(), graph.ancestors(s.getName())));
        List<StageReport> stageReports = new ArrayList<>(reports.values());
        RunReport report = new RunReport(name, stageReports, overrides, Reports.comparisons(stageReports, ancestors),
                Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        write(report, chainDir);
        out.println();
        out.print(Reports.table(report));
        out.printf(Locale.ROOT, "%nStages: %s. Reports: %s, %s, %s in %s%n", Reports.outcomeCounts(report),
                REPORT_JSON, REPORT_MD, PLOT_PNG, chainDir);
        out.flush();
        return new Result(badInput != null ? 2 : failed ? 1 : 0, report, chainDir, badInput);
    }

    /** Writes report.json, report.md and accuracy.png into {@code chainDir}. */
    static void write(RunReport report, Path chainDir) throws IOException {
        Files.createDirectories(chainDir);
        JSON.writeValue(chainDir.resolve(REPORT_JSON).toFile(), report);
        boolean plotted = AccuracyPlot.write(report, chainDir.resolve(PLOT_PNG));
        Files.writeString(chainDir.resolve(REPORT_MD), Reports.markdown(report, plotted ? PLOT_PNG : null));
    }

    private static StageJob job(DistillationChainSpec spec, String chain, StageSpec stage, String fp, Path chainDir,
                                String dataDir, String pretrainedDir, Overrides overrides) {
        String teacherDir = stage.getTeacher() == null ? null : chainDir.resolve(stage.getTeacher()).toString();
        StageJob j = StageJobFactory.create(spec, chain, stage.getName(), fp,
                new StageJobFactory.Paths(teacherDir, chainDir.resolve(stage.getName()).toString(), dataDir, pretrainedDir));
        return new StageJob(j.apiVersion(), j.chain(), j.stage(), j.fingerprint(), j.model(), j.training(), j.dataset(),
                j.teacherDir(), j.pretrainedDir(), j.outputDir(), overrides.maxTrainSamples());
    }

    private static StageReport report(StageSpec stage, boolean reused, Outcome outcome, String message, String fp,
                                      StageMetrics metrics, List<dev.distillation.trainer.EpochResult> curve) {
        return new StageReport(stage.getName(), stage.getModel().getArchitecture().value(), stage.getModel().getDepth(),
                stage.getModel().effectiveWidth(), stage.getTeacher(), reused, outcome, message, fp, metrics, curve);
    }

    private static String model(StageSpec s) {
        return report(s, false, Outcome.SKIPPED, null, null, null, List.of()).model();
    }

    /** The local folder of a volume dataset, from {@code --volume CLAIM=DIR}; null for a builtin dataset. */
    private static String dataDir(DistillationChainSpec spec, Settings settings) throws BadInputException {
        VolumeDataset volume = spec.getDataset().getVolume();
        if (volume == null) {
            return null;
        }
        return localFolder("spec.dataset.volume", volume.getClaimName(), volume.effectivePath(), settings);
    }

    private static Map<String, String> pretrainedDirs(List<StageSpec> order, Settings settings) throws BadInputException {
        Map<String, String> dirs = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            StageSpec s = order.get(i);
            if (s.getPretrained() != null) {
                dirs.put(s.getName(), localFolder("stage '" + s.getName() + "' pretrained",
                        s.getPretrained().getClaimName(), s.getPretrained().effectivePath(), settings));
            }
        }
        return dirs;
    }

    private static String localFolder(String what, String claim, String pathInClaim, Settings settings) throws BadInputException {
        Path root = settings.volumes().get(claim);
        if (root == null) {
            throw new BadInputException(what + " is on the volume '" + claim + "', which only exists in a cluster: "
                    + "give a local folder holding its files with --volume " + claim + "=/path/to/folder");
        }
        String sub = pathInClaim == null ? "" : pathInClaim.replaceFirst("^/+", "");
        Path folder = (sub.isEmpty() ? root : root.resolve(sub)).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new BadInputException(what + ": no folder " + folder + " (volume '" + claim + "' is mapped to " + root + ")");
        }
        return folder.toString();
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
