package dev.distillation.local;

import dev.distillation.api.text.Formats;
import dev.distillation.local.RunReport.Baseline;
import dev.distillation.local.RunReport.Comparison;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Distilled students against the baselines of the same model: which comparisons a run's report holds,
 * and their wording (the terminal and report.md differ only in how names are marked up). Pure.
 */
public final class Comparisons {

    private Comparisons() {}

    /**
     * Compares, for every model trained by two or more stages, the stage distilled through the most
     * teachers (e.g. TAKD's student) with the others (e.g. student-direct, student-alone).
     *
     * @param stages    the report's stages, teachers first
     * @param ancestors each stage's teachers, nearest first (StageGraph.ancestors)
     */
    public static List<Comparison> of(List<StageReport> stages, Map<String, List<String>> ancestors) {
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
                    Double diff = s.testAccuracy() == null ? null : Formats.pointsAbove(ref.testAccuracy(), s.testAccuracy());
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

    /** How a rendering marks up model and stage names: as they are on a terminal, bold and code in Markdown. */
    public record Markup(UnaryOperator<String> model, UnaryOperator<String> stage) {
        public static final Markup PLAIN = new Markup(UnaryOperator.identity(), UnaryOperator.identity());
        public static final Markup MARKDOWN = new Markup(m -> "**" + m + "**", s -> "`" + s + "`");
    }

    /**
     * A comparison's wording: its headline, e.g. {@code plain-cnn-2: student (via assistant ← teacher) 84.10%},
     * and one line per baseline, e.g. {@code +0.90 pts vs student-direct (from teacher) 83.20%}.
     */
    public record Lines(String headline, List<String> baselines) {}

    public static Lines render(Comparison c, Markup markup) {
        String headline = markup.model().apply(c.model()) + ": " + markup.stage().apply(c.stage())
                + " (" + describePath(c.path()) + ") " + Formats.percent(c.testAccuracy());
        List<String> baselines = c.baselines().stream()
                .map(b -> Formats.signedPoints(b.difference()) + " vs " + markup.stage().apply(b.stage())
                        + " (" + describePath(b.path()) + ") " + Formats.percent(b.testAccuracy()))
                .toList();
        return new Lines(headline, baselines);
    }

    /** "via assistant ← teacher", "from teacher", "no teacher". */
    static String describePath(List<String> path) {
        if (path.isEmpty()) {
            return "no teacher";
        }
        return (path.size() == 1 ? "from " : "via ") + String.join(" ← ", path);
    }
}
