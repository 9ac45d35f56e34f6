package dev.distillation.local;

import dev.distillation.api.text.Formats;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.local.RunReport.Comparison;
import dev.distillation.local.StageReport.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's stages as a table, one row per stage: on the terminal (columns padded) and in Markdown. Pure. */
public final class ResultTable {

    static final String[] HEADERS = {"Stage", "Model", "Teacher", "Test acc", "Best", "Epochs", "Train time", ""};
    /** With a validation split, its accuracy comes before the test accuracy, in a column of its own. */
    static final String[] HEADERS_WITH_VALIDATION = {"Stage", "Model", "Teacher", "Val acc", "Test acc", "Best", "Epochs", "Train time", ""};
    /** Where the Markdown table names the last column, which the terminal leaves without a header. */
    private static final String LAST_HEADER_MARKDOWN = "Outcome";
    /** The terminal keeps a failure message to one short line (report.json and report.md have it whole). */
    private static final int TERMINAL_OUTCOME_WIDTH = 72;

    private ResultTable() {}

    /** Every column between the teacher and the outcome holds a number. */
    private static boolean numeric(int column, String[] row) {
        return column >= 3 && column <= row.length - 2;
    }

    /** The columns of {@code report}'s table: a "Val acc" column only when some stage has a validation accuracy. */
    static String[] headers(RunReport report) {
        return hasValidation(report) ? HEADERS_WITH_VALIDATION : HEADERS;
    }

    static boolean hasValidation(RunReport report) {
        return report.stages().stream().anyMatch(s -> s.metrics() != null && s.metrics().getValidationAccuracy() != null);
    }

    static List<String[]> rows(RunReport report) {
        boolean validation = hasValidation(report);
        List<String[]> rows = new ArrayList<>();
        for (StageReport s : report.stages()) {
            StageMetrics m = s.metrics();
            List<String> cells = new ArrayList<>(List.of(
                    s.name(),
                    s.model(),
                    s.teacher() == null ? Formats.MISSING : s.teacher()));
            if (validation) {
                cells.add(m == null ? Formats.MISSING : Formats.percent(m.getValidationAccuracy()));
            }
            cells.addAll(List.of(
                    m == null ? Formats.MISSING : Formats.percent(m.getTestAccuracy()),
                    m == null ? Formats.MISSING : Formats.percent(m.getBestTestAccuracy()),
                    m == null || m.getEpochs() == null ? Formats.MISSING : String.valueOf(m.getEpochs()),
                    m == null ? Formats.MISSING : Formats.duration(m.getTrainSeconds()),
                    s.outcome().value() + (s.message() == null ? "" : ": " + s.message())));
            rows.add(cells.toArray(String[]::new));
        }
        return rows;
    }

    /** The table printed at the end of {@code distill run}, with the comparisons below it. */
    public static String text(RunReport report) {
        String[] headers = headers(report);
        List<String[]> rows = rows(report);
        for (String[] r : rows) {
            String last = r[r.length - 1];
            if (last.length() > TERMINAL_OUTCOME_WIDTH) {
                r[r.length - 1] = last.substring(0, TERMINAL_OUTCOME_WIDTH - 1) + "…";
            }
        }
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, headers, widths);
        String[] rule = new String[headers.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = i == rule.length - 1 ? "" : "-".repeat(widths[i]);
        }
        appendRow(sb, rule, widths);
        for (String[] r : rows) {
            appendRow(sb, r, widths);
        }
        for (Comparison c : report.comparisons()) {
            Comparisons.Lines lines = Comparisons.render(c, Comparisons.Markup.PLAIN);
            sb.append('\n').append(lines.headline());
            lines.baselines().forEach(b -> sb.append("\n  ").append(b));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(numeric(i, cells) ? pad + cell : cell + pad).append("  ");
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** The same table in Markdown (whole messages; numbers right-aligned). */
    public static String markdown(RunReport report) {
        String[] headers = headers(report);
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < headers.length; i++) {
            sb.append(' ').append(i == headers.length - 1 ? LAST_HEADER_MARKDOWN : headers[i]).append(" |");
        }
        sb.append("\n|");
        for (int i = 0; i < headers.length; i++) {
            sb.append(numeric(i, headers) ? "---:|" : "---|");
        }
        sb.append('\n');
        for (String[] r : rows(report)) {
            sb.append('|');
            for (String cell : r) {
                sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
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
