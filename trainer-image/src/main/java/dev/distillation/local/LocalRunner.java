package dev.distillation.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.local.RunPlan.Action;
import dev.distillation.local.RunPlan.Step;
import dev.distillation.local.StageExecutor.StageFailedException;
import dev.distillation.local.StageReport.Outcome;
import dev.distillation.trainer.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code distill run} without the command line: trains a validated chain's stages in turn under
 * {@code <workdir>/<chain>/<stage>/}, reusing stages whose folder holds a result with the same
 * fingerprint, and writes report.json, report.md and accuracy.png to {@code <workdir>/<chain>/}.
 */
public final class LocalRunner {

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
    private final RunConsole console;
    private final StageOutputs outputs = new StageOutputs(JSON);
    private volatile String runningStage;
    private volatile Path runningDir;

    public LocalRunner(StageExecutor executor, TrainingListener listener, PrintWriter out) {
        this.executor = executor;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.console = new RunConsole(out);
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
        DistillationChainSpec spec = settings.overrides().apply(chain.getSpec());
        StageGraph graph = StageGraph.of(spec);
        List<StageSpec> order = graph.topologicalOrder();
        Map<String, String> fingerprints = settings.overrides().fingerprints(spec);
        Workspace workspace = Workspace.open(settings, name, spec, order);
        RunPlan plan = RunPlan.of(order, fingerprints, workspace.states(order));
        console.plan(name, workspace.chainDir(), plan, settings.overrides());

        RunFailures failures = new RunFailures();
        List<StageReport> stages = new ArrayList<>();
        Map<String, List<String>> ancestors = new LinkedHashMap<>();
        for (StageSpec stage : order) {
            stages.add(runStage(stage, plan.step(stage.getName()), fingerprints.get(stage.getName()), workspace, failures));
            ancestors.put(stage.getName(), graph.ancestors(stage.getName()));
        }

        RunReport report = new RunReport(name, stages, settings.overrides(), Comparisons.of(stages, ancestors),
                Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        ReportWriter.write(report, workspace.chainDir(), JSON);
        console.summary(report, workspace.chainDir());
        return new Result(failures.exitCode(), report, workspace.chainDir(), failures.badInput());
    }

    /** Reuses, skips or trains one stage as the plan says, and reports what came of it. */
    private StageReport runStage(StageSpec stage, Step step, String fingerprint, Workspace workspace, RunFailures failures)
            throws IOException {
        if (failures.stopped()) {
            return StageReport.of(stage, Outcome.SKIPPED, "the run stopped on bad input", fingerprint, null, List.of());
        }
        if (failures.teacherMissing(stage)) {
            failures.skipped(stage.getName());
            console.skipped(stage);
            return StageReport.of(stage, Outcome.SKIPPED, "teacher '" + stage.getTeacher() + "' has no result", fingerprint, null,
                    List.of());
        }
        Path dir = workspace.stageDir(stage.getName());
        if (step.action() == Action.REUSE) {
            StageOutputs.Result r = outputs.read(dir);
            console.reused(stage, fingerprint, r.metrics());
            return StageReport.of(stage, Outcome.REUSED, null, fingerprint, r.metrics(), r.curve());
        }
        StageJob job = workspace.prepare(stage, fingerprint, step.clean());
        console.starting(stage, step, job.training().getEpochs());
        StageMetrics metrics;
        runningStage = stage.getName();
        runningDir = dir;
        try {
            metrics = executor.run(job, listener);
        } catch (StageFailedException e) {
            failures.failed(stage.getName(), e);
            console.failed(stage, e.getMessage());
            return StageReport.of(stage, Outcome.FAILED, e.getMessage(), fingerprint, null, List.of());
        } finally {
            runningStage = null;
            runningDir = null;
        }
        StageOutputs.Result r = outputs.read(dir);
        StageMetrics m = metrics != null ? metrics : r.metrics();
        if (m != null) {
            StageOutputs.fillFromCurve(m, r.curve());
        }
        console.finished(stage, m);
        return StageReport.of(stage, step.action() == Action.RESUME ? Outcome.RESUMED : Outcome.TRAINED, null, fingerprint, m, r.curve());
    }
}
