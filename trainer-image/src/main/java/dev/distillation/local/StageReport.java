package dev.distillation.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.trainer.EpochResult;
import java.util.List;

/**
 * One stage's line of report.json.
 *
 * @param name         stage name
 * @param architecture network family, e.g. plain-cnn
 * @param depth        number of weight layers (none for a torchscript network)
 * @param width        channel-width multiplier (none for a torchscript network)
 * @param teacher      teacher stage, or null for a stage trained from labels alone
 * @param reused       true when this run found the stage's result up to date and trained nothing
 * @param outcome      trained, resumed, reused, failed or skipped
 * @param message      why a stage failed or was skipped; null otherwise
 * @param fingerprint  the stage's fingerprint in this run
 * @param metrics      final metrics (the same names as the operator's status); null when none
 * @param curve        test accuracy and loss per epoch, as in the stage's metrics.json
 * @param selected     for a stage that chose among candidates: the chosen candidate (whose model, metrics and
 *                     curve these are), or null when none had a result; null for a stage without candidates
 * @param candidates   for a stage that chose among candidates: one row per candidate, as listed; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "architecture", "depth", "width", "teacher", "reused", "outcome", "message", "fingerprint", "metrics",
        "selected", "candidates", "curve"})
public record StageReport(String name, String architecture, Integer depth, Double width, String teacher, boolean reused,
                          Outcome outcome, String message, String fingerprint, StageMetrics metrics,
                          List<EpochResult> curve, String selected, List<CandidateReport> candidates) {

    /** The report of a stage without candidates. */
    public StageReport(String name, String architecture, Integer depth, Double width, String teacher, boolean reused,
                       Outcome outcome, String message, String fingerprint, StageMetrics metrics, List<EpochResult> curve) {
        this(name, architecture, depth, width, teacher, reused, outcome, message, fingerprint, metrics, curve, null, null);
    }

    /**
     * One candidate of a stage that chose among them.
     *
     * @param name        the candidate's name (its folder under the chain's)
     * @param model       e.g. plain-cnn-6 or plain-cnn-8 x0.5
     * @param temperature its temperature (null for a stage without teacher)
     * @param alpha       its alpha (null for a stage without teacher)
     * @param outcome     trained, resumed, reused, failed or skipped
     * @param message     why it failed or was skipped
     * @param fingerprint its fingerprint
     * @param metrics     its final metrics, null when none
     * @param chosen      whether the stage chose it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CandidateReport(String name, String model, Double temperature, Double alpha, Outcome outcome, String message,
                                  String fingerprint, StageMetrics metrics, boolean chosen) {}

    /** The stage {@code stage} that chose {@code chosen} (whose report this is) among {@code candidates}. */
    StageReport asChoiceOf(StageSpec stage, List<CandidateReport> candidates) {
        return new StageReport(stage.getName(), architecture, depth, width, teacher, reused, outcome, message, fingerprint, metrics,
                curve, name, candidates);
    }

    /** A stage none of whose candidates has a result: skipped when every candidate was, else failed. */
    static StageReport noChoice(StageSpec stage, List<StageReport> tried, List<CandidateReport> candidates) {
        boolean skipped = tried.stream().allMatch(r -> r.outcome() == Outcome.SKIPPED);
        String message = skipped && !tried.isEmpty() ? tried.get(0).message()
                : "no candidate has a validation accuracy to choose by (" + tried.size() + " failed or skipped)";
        StageReport r = of(stage, skipped ? Outcome.SKIPPED : Outcome.FAILED, message, null, null, List.of());
        return new StageReport(r.name, r.architecture, r.depth, r.width, r.teacher, false, r.outcome, message, null, null,
                List.of(), null, candidates);
    }

    public enum Outcome {
        TRAINED, RESUMED, REUSED, FAILED, SKIPPED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The report of {@code stage} with this outcome ({@code reused} when the outcome is {@link Outcome#REUSED}). */
    static StageReport of(StageSpec stage, Outcome outcome, String message, String fingerprint, StageMetrics metrics,
                          List<EpochResult> curve) {
        return new StageReport(stage.getName(), stage.getModel().getArchitecture().value(), stage.getModel().getDepth(),
                width(stage), stage.getTeacher(), outcome == Outcome.REUSED, outcome, message, fingerprint,
                metrics, curve);
    }

    /** "plain-cnn-10" (or "plain-cnn-10 x0.5" for a non-default width). */
    public String model() {
        return model(architecture, depth, width);
    }

    /** The model of {@code stage}, named as {@link #model()} does. */
    static String model(StageSpec stage) {
        return model(stage.getModel().getArchitecture().value(), stage.getModel().getDepth(), width(stage));
    }

    private static Double width(StageSpec stage) {
        return stage.getModel().getArchitecture().builtin() ? stage.getModel().effectiveWidth() : null;
    }

    /** A torchscript network has no depth: it is named by its architecture alone. */
    private static String model(String architecture, Integer depth, Double width) {
        if (depth == null) {
            return architecture;
        }
        String m = architecture + "-" + depth;
        return width == 1.0 ? m : m + " x" + trim(width);
    }

    public Double testAccuracy() {
        return metrics == null ? null : metrics.getTestAccuracy();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
