package dev.distillation.local;

import dev.distillation.local.RunReport.Baseline;
import dev.distillation.local.RunReport.Comparison;
import dev.distillation.local.StageReport.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the comparisons and renders the result table (terminal and Markdown). Pure. */
public final class Reports {

    private Reports() {}

    /**
     * Compares, for every model trained by two or more stages, the stage distilled through the most
     * teachers (e.g. TAKD's student) with the others (e.g. student-direct, student-alone).
     *
     * @param stages    the report's stages, teachers first
     * @param ancestors each stage's teachers, nearest first (StageGraph.ancestors)
     */
    public static List<Comparison> comparisons(List<StageReport> stages, Map<String, List<String>> ancestors) {
        Map<String, List<StageReport>> byModel = new LinkedHashMap<>();
        for (StageReport s : stages) {
            byModel.computeIfAbsent(s.model(), k -> new ArrayList<>()).add(s);
        }
        List<Comparison> result = new ArrayList<>();
        byModel.forEach((model, group) -> {
            if (group.size() < 2) {
                return;
            }
            StageReport ref = group.get(0);
            for (StageReport s : group) {
                if (path(ancestors, s).size() > path(ancestors, ref).size()) {
                    ref = s;
                }
            }
            if (path(ancestors, ref).isEmpty() || ref.testAccuracy() == null) {
                return; // nothing distilled among them (or it has no result): no comparison to make
            }
            List<Baseline> baselines = new ArrayList<>();
            for (StageReport s : group) {
                if (s != ref) {
                    Double diff = ref.testAccuracy() == null || s.testAccuracy() == null ? null
                            : Math.round((ref.testAccuracy() - s.testAccuracy()) * 10000.0) / 100.0;
                    baselines.add(new Baseline(s.name(), path(ancestors, s), s.testAccuracy(), diff));
                }
            }
            result.add(new Comparison(model, ref.name(), path(ancestors, ref), ref.testAccuracy(), baselines));
        });
        return result;
    }

    private static List<String> path(Map<String, List<String>> ancestors, StageReport s) {
        return ancestors.getOrDefault(s.name(), List.of());
    }

    private static final String[] HEADERS = {"Stage", "Model", "Teacher", "Test acc", "Best", "Epochs", "Train time", ""};

    private static List<String[]> rows(RunReport report) {
        List<String[]> rows = new ArrayList<>();
        for (StageReport s : report.stages()) {
            var m = s.metrics();
            rows.add(new String[] {
                    s.name(),
                    s.model(),
                    s.teacher() == null ? "-" : s.teacher(),
                    m == null ? "-" : percent(m.getTestAccuracy()),
                    m == null ? "-" : percent(m.getBestTestAccuracy()),
                    m == null || m.getEpochs() == null ? "-" : String.valueOf(m.getEpochs()),
                    m == null ? "-" : duration(m.getTrainSeconds()),
                    s.outcome().value() + (s.message() == null ? "" : ": " + s.message())});
        }
        return rows;
    }

    /** The terminal table keeps long failure messages to one short line (report.json and report.md have them whole). */
    private static List<String[]> terminalRows(RunReport report) {
        List<String[]> rows = rows(report);
        for (String[] r : rows) {
            String last = r[r.length - 1];
            if (last.length() > 72) {
                r[r.length - 1] = last.substring(0, 71) + "…";
            }
        }
        return rows;
    }

    /** The table printed at the end of {@code distill run}, with the comparisons below it. */
    public static String table(RunReport report) {
        List<String[]> rows = terminalRows(report);
        int[] widths = new int[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            widths[i] = HEADERS[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, HEADERS, widths);
        String[] rule = new String[HEADERS.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = i == rule.length - 1 ? "" : "-".repeat(widths[i]);
        }
        appendRow(sb, rule, widths);
        for (String[] r : rows) {
            appendRow(sb, r, widths);
        }
        for (Comparison c : report.comparisons()) {
            sb.append('\n').append(c.model()).append(": ").append(c.stage())
                    .append(" (").append(describePath(c.path())).append(") ").append(percent(c.testAccuracy()));
            for (Baseline b : c.baselines()) {
                sb.append("\n  ").append(signedPoints(b.difference())).append(" vs ").append(b.stage())
                        .append(" (").append(describePath(b.path())).append(") ").append(percent(b.testAccuracy()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean numeric = i >= 3 && i <= 6;
            String cell = cells[i];
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(numeric ? pad + cell : cell + pad).append("  ");
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** report.md: the same table in Markdown, the comparisons, the overrides and the plot. */
    public static String markdown(RunReport report, String plotFile) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Distillation chain `").append(report.chain()).append("`\n\n");
        if (!report.overrides().isEmpty()) {
            sb.append("Smoke run: every stage ran with `").append(report.overrides().describe())
                    .append("`; accuracies are not those of a full run.\n\n");
        }
        sb.append('|');
        for (int i = 0; i < HEADERS.length - 1; i++) {
            sb.append(' ').append(HEADERS[i]).append(" |");
        }
        sb.append(" Outcome |\n|");
        for (int i = 0; i < HEADERS.length; i++) {
            sb.append(i >= 3 && i <= 6 ? "---:|" : "---|");
        }
        sb.append('\n');
        for (String[] r : rows(report)) {
            sb.append('|');
            for (String cell : r) {
                sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        if (!report.comparisons().isEmpty()) {
            sb.append("\n## Distilled students against baselines\n\n");
            for (Comparison c : report.comparisons()) {
                sb.append("- **").append(c.model()).append("**: `").append(c.stage()).append("` (")
                        .append(describePath(c.path())).append(") ").append(percent(c.testAccuracy()));
                for (Baseline b : c.baselines()) {
                    sb.append("\n  - ").append(signedPoints(b.difference())).append(" vs `").append(b.stage())
                            .append("` (").append(describePath(b.path())).append(") ").append(percent(b.testAccuracy()));
                }
                sb.append('\n');
            }
        }
        if (plotFile != null) {
            sb.append("\n## Test accuracy per epoch\n\n![test accuracy per epoch](").append(plotFile).append(")\n");
        }
        sb.append("\nRun wall time: ").append(duration(report.wallSeconds())).append(".\n");
        return sb.toString();
    }

    /** "via assistant ← teacher", "from teacher", "no teacher". */
    static String describePath(List<String> path) {
        if (path.isEmpty()) {
            return "no teacher";
        }
        return (path.size() == 1 ? "from " : "via ") + String.join(" ← ", path);
    }

    static String percent(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    static String signedPoints(Double points) {
        return points == null ? "?" : String.format(Locale.ROOT, "%+.2f pts", points);
    }

    /** "48.2s", "4m 10s", "1h 02m". */
    public static String duration(Double seconds) {
        if (seconds == null) {
            return "-";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    /** A one-line count of what the run did, e.g. "3 trained, 2 reused". */
    public static String outcomeCounts(RunReport report) {
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        report.stages().forEach(s -> counts.merge(s.outcome(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((o, n) -> {
            if (n > 0) {
                parts.add(n + " " + o.value());
            }
        });
        return String.join(", ", parts);
    }
}
