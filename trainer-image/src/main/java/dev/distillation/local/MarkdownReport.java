package dev.distillation.local;

import dev.distillation.api.text.Formats;
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
}
