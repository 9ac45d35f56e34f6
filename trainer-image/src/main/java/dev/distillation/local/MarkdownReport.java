package dev.distillation.local;

import dev.distillation.api.graph.Candidates;
import dev.distillation.api.text.Formats;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.local.RunReport.Comparison;

/** report.md: the result table, the comparisons, the smoke-run overrides and the accuracy plot. Pure. */
public final class MarkdownReport {

    private MarkdownReport() {}

    /** @param plotFile the plot's file name beside report.md, or null when there is none */
    public static String of(RunReport report, String plotFile) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Distillation chain `").append(report.chain()).append("`\n\n");
        if (!report.overrides().isEmpty()) {
            sb.append("Smoke run: every stage ran with `").append(report.overrides().describe())
                    .append("`; accuracies are not those of a full run.\n\n");
        }
        sb.append(ResultTable.markdown(report));
        for (StageReport stage : report.stages()) {
            if (stage.candidates() != null) {
                sb.append('\n').append(candidates(stage));
            }
        }
        if (!report.comparisons().isEmpty()) {
            sb.append("\n## Distilled students against baselines\n\n");
            for (Comparison c : report.comparisons()) {
                Comparisons.Lines lines = Comparisons.render(c, Comparisons.Markup.MARKDOWN);
                sb.append("- ").append(lines.headline());
                lines.baselines().forEach(b -> sb.append("\n  - ").append(b));
                sb.append('\n');
            }
        }
        if (plotFile != null) {
            sb.append("\n## Test accuracy per epoch\n\n![test accuracy per epoch](").append(plotFile).append(")\n");
        }
        sb.append("\nRun wall time: ").append(Formats.duration(report.wallSeconds())).append(".\n");
        return sb.toString();
    }

    /** The choice of a stage with candidates: what it chose, and a row per candidate in the order they are listed. */
    static String candidates(StageReport stage) {
        StringBuilder sb = new StringBuilder("## Candidates of `").append(stage.name()).append("`\n\n");
        sb.append(stage.selected() == null ? "No choice: " + stage.message() + "."
                : "Chosen by validation accuracy: `" + stage.selected() + "`.").append("\n\n");
        sb.append("| Candidate | Model | T | α | Val acc | Test acc | Outcome |\n|---|---|---:|---:|---:|---:|---|\n");
        for (StageReport.CandidateReport c : stage.candidates()) {
            StageMetrics m = c.metrics();
            sb.append("| ").append(c.chosen() ? "**" + c.name() + "** (chosen)" : c.name())
                    .append(" | ").append(c.model())
                    .append(" | ").append(c.temperature() == null ? Formats.MISSING : Candidates.number(c.temperature()))
                    .append(" | ").append(c.alpha() == null ? Formats.MISSING : Candidates.number(c.alpha()))
                    .append(" | ").append(m == null ? Formats.MISSING : Formats.percent(m.getValidationAccuracy()))
                    .append(" | ").append(m == null ? Formats.MISSING : Formats.percent(m.getTestAccuracy()))
                    .append(" | ").append((c.outcome().value() + (c.message() == null ? "" : ": " + c.message())).replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
