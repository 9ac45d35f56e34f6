package dev.distillation.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.distillation.api.graph.CandidateSelection;
import dev.distillation.api.graph.Candidates;
import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
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
        Workspace workspace = Workspace.open(settings, name, spec, order);
        RunFailures failures = new RunFailures();
        List<StageReport> stages = Candidates.any(spec)
                ? runChoosing(name, spec, order, settings.overrides(), workspace, failures)
                : runPlain(name, spec, order, settings.overrides(), workspace, failures);
        Map<String, List<String>> ancestors = new LinkedHashMap<>();
        for (StageSpec stage : order) {
            ancestors.put(stage.getName(), graph.ancestors(stage.getName()));
        }

        RunReport report = new RunReport(name, stages, settings.overrides(), Comparisons.of(stages, ancestors),
                Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        ReportWriter.write(report, workspace.chainDir(), JSON);
        console.summary(report, workspace.chainDir());
        return new Result(failures.exitCode(), report, workspace.chainDir(), failures.badInput());
    }

    /** A chain without candidates: every fingerprint, and so the whole plan, is known before the first stage trains. */
    private List<StageReport> runPlain(String name, DistillationChainSpec spec, List<StageSpec> order, Overrides overrides,
                                       Workspace workspace, RunFailures failures) throws IOException {
        Map<String, String> fingerprints = overrides.fingerprints(spec);
        RunPlan plan = RunPlan.of(order, fingerprints, workspace.states(order));
        console.plan(name, workspace.chainDir(), plan, overrides);
        List<StageReport> stages = new ArrayList<>();
        for (StageSpec stage : order) {
            stages.add(runStage(stage, plan.step(stage.getName()), fingerprints.get(stage.getName()), workspace, failures, false));
        }
        return stages;
    }

    /**
     * A chain in which some stages choose among candidates: a stage's fingerprint, and what it learns from, are known
     * once its teacher has chosen, so each stage (or candidate) is planned when its turn comes, with the same rules.
     * A stage with candidates trains them one after the other, keeps the one {@link CandidateSelection} chooses, and
     * from then on stands for it: its students learn from the chosen candidate's folder and fingerprint.
     */
    private List<StageReport> runChoosing(String name, DistillationChainSpec spec, List<StageSpec> order, Overrides overrides,
                                          Workspace workspace, RunFailures failures) throws IOException {
        int candidates = order.stream().filter(Candidates::has).mapToInt(Candidates::count).sum();
        console.choosing(name, workspace.chainDir(), order.size(), candidates, overrides);
        Map<String, String> fingerprints = new LinkedHashMap<>(); // the operator's fingerprints, teachers' terms included
        Map<String, Step> steps = new LinkedHashMap<>();
        List<StageReport> stages = new ArrayList<>();
        for (StageSpec stage : order) {
            String teacherFingerprint = stage.getTeacher() == null ? null : fingerprints.get(stage.getTeacher());
            Step teacherStep = stage.getTeacher() == null ? null : steps.get(stage.getTeacher());
            if (!Candidates.has(stage)) {
                String fp = Fingerprints.of(spec, stage, teacherFingerprint);
                Step step = plan(stage, overrides.fingerprint(fp), teacherStep, workspace);
                stages.add(runStage(stage, step, overrides.fingerprint(fp), workspace, failures, false));
                fingerprints.put(stage.getName(), fp);
                steps.put(stage.getName(), step);
                continue;
            }
            List<StageReport> tried = new ArrayList<>();
            Map<String, String> candidateFingerprints = new LinkedHashMap<>();
            Map<String, Step> candidateSteps = new LinkedHashMap<>();
            for (Candidates.Candidate c : Candidates.of(spec, stage)) {
                String fp = Fingerprints.of(spec, c.stage(), teacherFingerprint);
                Step step = plan(c.stage(), overrides.fingerprint(fp), teacherStep, workspace);
                tried.add(runStage(c.stage(), step, overrides.fingerprint(fp), workspace, failures, true));
                candidateFingerprints.put(c.name(), fp);
                candidateSteps.put(c.name(), step);
            }
            StageReport report = choose(stage, spec, tried, workspace, failures);
            if (report.selected() != null) {
                fingerprints.put(stage.getName(), candidateFingerprints.get(report.selected()));
                steps.put(stage.getName(), candidateSteps.get(report.selected()));
            }
            console.chose(stage, report);
            stages.add(report);
        }
        return stages;
    }

    private static Step plan(StageSpec stage, String fingerprint, Step teacherStep, Workspace workspace) throws IOException {
        return RunPlan.step(stage, fingerprint, StageState.read(workspace.stageDir(stage.getName()), JSON), teacherStep);
    }

    /** The report of {@code stage} once its candidates ran: the chosen one's, with a row per candidate. */
    private static StageReport choose(StageSpec stage, DistillationChainSpec spec, List<StageReport> tried, Workspace workspace,
                                      RunFailures failures) {
        List<CandidateSelection.Score> scores = tried.stream().map(r -> new CandidateSelection.Score(r.name(),
                r.metrics() == null ? null : r.metrics().getValidationAccuracy(),
                r.metrics() == null ? null : r.metrics().getValidationLoss())).toList();
        String chosen = CandidateSelection.choose(scores).orElse(null);
        List<Candidates.Candidate> listed = Candidates.of(spec, stage);
        List<StageReport.CandidateReport> rows = new ArrayList<>();
        for (int i = 0; i < tried.size(); i++) {
            StageReport r = tried.get(i);
            TrainingSpec t = spec.resolvedTraining(listed.get(i).stage());
            boolean distilled = stage.getTeacher() != null;
            rows.add(new StageReport.CandidateReport(r.name(), r.model(), distilled ? t.getTemperature() : null,
                    distilled ? t.getAlpha() : null, r.outcome(), r.message(), r.fingerprint(), r.metrics(), r.name().equals(chosen)));
        }
        if (chosen == null) {
            StageReport none = StageReport.noChoice(stage, tried, rows);
            if (none.outcome() == Outcome.SKIPPED) {
                failures.skipped(stage.getName());
            } else {
                failures.noCandidateSucceeded(stage.getName());
            }
            return none;
        }
        workspace.choose(stage.getName(), chosen);
        StageReport winner = tried.stream().filter(r -> r.name().equals(chosen)).findFirst().orElseThrow();
        return winner.asChoiceOf(stage, rows);
    }

    /**
     * Reuses, skips or trains one stage (or one {@code candidate} of a stage) as the plan says, and reports what came of
     * it. A failed candidate fails neither its stage nor the run (the stage chooses among the others), unless its
     * trainer found bad input, which stops the run as for any stage.
     */
    private StageReport runStage(StageSpec stage, Step step, String fingerprint, Workspace workspace, RunFailures failures,
                                 boolean candidate) throws IOException {
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
            if (candidate) {
                failures.candidateFailed(e);
            } else {
                failures.failed(stage.getName(), e);
            }
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
