package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.local.RunReport.Comparison;
import dev.distillation.local.StageReport.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private static StageReport stage(String name, int depth, String teacher, double acc, Outcome outcome) {
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(acc);
        m.setBestTestAccuracy(acc + 0.001);
        m.setEpochs(3);
        m.setTrainSeconds(125.0);
        return new StageReport(name, "plain-cnn", depth, 1.0, teacher, outcome == Outcome.REUSED, outcome, null,
                "sha256:x", m, List.of());
    }

    private static final List<StageReport> STAGES = List.of(
            stage("teacher", 10, null, 0.912, Outcome.TRAINED),
            stage("assistant", 4, "teacher", 0.887, Outcome.TRAINED),
            stage("student", 2, "assistant", 0.841, Outcome.TRAINED),
            stage("student-direct", 2, "teacher", 0.832, Outcome.REUSED),
            stage("student-alone", 2, null, 0.820, Outcome.REUSED));

    private static final Map<String, List<String>> ANCESTORS = Map.of(
            "assistant", List.of("teacher"), "student", List.of("assistant", "teacher"),
            "student-direct", List.of("teacher"));

    @Test
    void comparesTheLongestDistilledPathWithTheBaselinesOfTheSameModel() {
        List<Comparison> cs = Reports.comparisons(STAGES, ANCESTORS);
        assertThat(cs).hasSize(1);
        Comparison c = cs.get(0);
        assertThat(c.model()).isEqualTo("plain-cnn-2");
        assertThat(c.stage()).isEqualTo("student");
        assertThat(c.path()).containsExactly("assistant", "teacher");
        assertThat(c.baselines()).extracting(RunReport.Baseline::stage).containsExactly("student-direct", "student-alone");
        assertThat(c.baselines()).extracting(RunReport.Baseline::difference).containsExactly(0.9, 2.1);
    }

    @Test
    void noComparisonWithoutADistilledStage() {
        assertThat(Reports.comparisons(List.of(stage("a", 2, null, 0.8, Outcome.TRAINED),
                stage("b", 2, null, 0.81, Outcome.TRAINED)), Map.of())).isEmpty();
    }

    @Test
    void tableListsEveryStageAndTheComparison() {
        RunReport report = new RunReport("fashion-takd", STAGES, Overrides.NONE,
                Reports.comparisons(STAGES, ANCESTORS), 600);
        String table = Reports.table(report);
        assertThat(table.lines().toList().get(0)).startsWith("Stage").contains("Model", "Teacher", "Test acc", "Train time");
        assertThat(table).contains("teacher         plain-cnn-10  -")
                .contains("91.20%").contains("2m 05s").contains("reused")
                .contains("plain-cnn-2: student (via assistant ← teacher) 84.10%")
                .contains("+0.90 pts vs student-direct (from teacher) 83.20%")
                .contains("+2.10 pts vs student-alone (no teacher) 82.00%");
        // columns line up: every row of the table part has "plain-cnn" at the same offset
        List<String> rows = table.lines().skip(2).limit(5).toList();
        assertThat(rows).extracting(r -> r.indexOf("plain-cnn")).containsOnly(rows.get(0).indexOf("plain-cnn"));
    }

    @Test
    void markdownHasATableTheOverridesAndThePlot() {
        RunReport report = new RunReport("c", STAGES, new Overrides(1, 2000), Reports.comparisons(STAGES, ANCESTORS), 61);
        String md = Reports.markdown(report, "accuracy.png");
        assertThat(md).contains("| Stage | Model |").contains("| student-alone | plain-cnn-2 | - |")
                .contains("`--epochs 1 --max-train-samples 2000`").contains("![test accuracy per epoch](accuracy.png)")
                .contains("1m 01s");
    }

    @Test
    void durations() {
        assertThat(Reports.duration(4.25)).isEqualTo("4.3s");
        assertThat(Reports.duration(250.0)).isEqualTo("4m 10s");
        assertThat(Reports.duration(3725.0)).isEqualTo("1h 02m");
        assertThat(Reports.duration(null)).isEqualTo("-");
    }
}
