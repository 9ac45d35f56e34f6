package dev.distillation.local;

import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.text.Formats;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.local.RunPlan.Action;
import dev.distillation.local.RunPlan.Step;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code distill run} tells the user, one line per event: the plan, each stage as it is reused,
 * started, skipped, failed or finished, and at the end the result table. (The progress of a stage's
 * epochs is the {@link ProgressReporter}'s.)
 */
final class RunConsole {

    private final PrintWriter out;

    RunConsole(PrintWriter out) {
        this.out = out;
    }

    void plan(String chain, Path chainDir, RunPlan plan, Overrides overrides) {
        out.printf(Locale.ROOT, "Chain %s: %d stages in %s (%d to train, %d to resume, %d up to date)%s%n",
                chain, plan.steps().size(), chainDir, plan.count(Action.TRAIN), plan.count(Action.RESUME), plan.count(Action.REUSE),
                overrides.isEmpty() ? "" : "; overrides: " + overrides.describe());
    }

    void skipped(StageSpec stage) {
        out.printf(Locale.ROOT, "- %s: skipped (teacher '%s' has no result)%n", stage.getName(), stage.getTeacher());
    }

    void reused(StageSpec stage, String fingerprint, StageMetrics metrics) {
        out.printf(Locale.ROOT, "= %s (%s, %s): reused, up to date (fingerprint %s)%s%n", stage.getName(),
                StageReport.model(stage), teacher(stage), Fingerprints.shortForm(fingerprint),
                metrics == null ? "" : ": " + accuracies(metrics));
    }

    void starting(StageSpec stage, Step step, int epochs) {
        if (stage.getPretrained() != null) {
            // a pretrained stage trains no epoch: its checkpoint is evaluated
            out.printf(Locale.ROOT, "> %s (%s, %s): evaluating: %s%n", stage.getName(), StageReport.model(stage), teacher(stage),
                    step.reason());
            return;
        }
        out.printf(Locale.ROOT, "> %s (%s, %s): %s %d epoch%s: %s%n", stage.getName(), StageReport.model(stage), teacher(stage),
                step.action() == Action.RESUME ? "resuming, of" : "training", epochs, epochs == 1 ? "" : "s", step.reason());
    }

    void failed(StageSpec stage, String message) {
        out.printf(Locale.ROOT, "! %s failed: %s%n", stage.getName(), message);
    }

    void finished(StageSpec stage, StageMetrics metrics) {
        out.printf(Locale.ROOT, "  %s: %s in %s%n", stage.getName(),
                metrics == null ? "test acc " + Formats.MISSING : accuracies(metrics),
                metrics == null ? Formats.MISSING : Formats.duration(metrics.getTrainSeconds()));
    }

    /** "test acc 88.1%", preceded by "val acc 87.9%, " when the chain holds out a validation split. */
    static String accuracies(StageMetrics metrics) {
        String test = "test acc " + Formats.percent(metrics.getTestAccuracy());
        return metrics.getValidationAccuracy() == null ? test : "val acc " + Formats.percent(metrics.getValidationAccuracy()) + ", " + test;
    }

    /** The header of a run whose stages choose among candidates: what each trains is only known as the run goes. */
    void choosing(String chain, Path chainDir, int stages, int candidates, Overrides overrides) {
        out.printf(Locale.ROOT, "Chain %s: %d stages in %s, %d candidates to choose among on the validation split%s%n",
                chain, stages, chainDir, candidates, overrides.isEmpty() ? "" : "; overrides: " + overrides.describe());
    }

    void chose(StageSpec stage, StageReport report) {
        if (report.selected() == null) {
            out.printf(Locale.ROOT, "! %s: %s%n", stage.getName(), report.message());
        } else {
            out.printf(Locale.ROOT, "* %s chose %s of %d candidates by validation accuracy: %s%n", stage.getName(), report.selected(),
                    report.candidates().size(), accuracies(report.metrics()));
        }
    }

    /** The result table, the comparisons and where the reports are. */
    void summary(RunReport report, Path chainDir) {
        out.println();
        out.print(ResultTable.text(report));
        out.printf(Locale.ROOT, "%nStages: %s. Reports: %s, %s, %s in %s%n", ResultTable.outcomeCounts(report),
                ReportWriter.REPORT_JSON, ReportWriter.REPORT_MD, ReportWriter.PLOT_PNG, chainDir);
        out.flush();
    }

    private static String teacher(StageSpec stage) {
        if (stage.getPretrained() != null) {
            return "pretrained";
        }
        return stage.getTeacher() == null ? "from labels" : "from " + stage.getTeacher();
    }
}
