package dev.distillation.local;

import static dev.distillation.local.ReportFixtures.ANCESTORS;
import static dev.distillation.local.ReportFixtures.STAGES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void tableListsEveryStageAndTheComparison() {
        RunReport report = new RunReport("fashion-takd", STAGES, Overrides.NONE, Comparisons.of(STAGES, ANCESTORS), 600);
        String table = ResultTable.text(report);
        assertThat(table.lines().toList().get(0)).startsWith("Stage").contains("Model", "Teacher", "Test acc", "Train time");
        assertThat(table).contains("teacher         plain-cnn-10  -")
                .contains("91.20%").contains("2m 05s").contains("reused")
                .contains("plain-cnn-2: student (via assistant ← teacher) 84.10%")
                .contains("\n  +0.90 pts vs student-direct (from teacher) 83.20%")
                .contains("\n  +2.10 pts vs student-alone (no teacher) 82.00%");
        // columns line up: every row of the table part has "plain-cnn" at the same offset
        List<String> rows = table.lines().skip(2).limit(5).toList();
        assertThat(rows).extracting(r -> r.indexOf("plain-cnn")).containsOnly(rows.get(0).indexOf("plain-cnn"));
        assertThat(ResultTable.outcomeCounts(report)).isEqualTo("3 trained, 2 reused");
    }

    @Test
    void aLongFailureMessageIsCutOnTheTerminalAndWholeInMarkdown() {
        StageReport failed = new StageReport("s", "plain-cnn", 2, 1.0, null, false, StageReport.Outcome.FAILED, "x".repeat(200),
                "sha256:x", null, List.of());
        RunReport report = new RunReport("c", List.of(failed), Overrides.NONE, List.of(), 1);
        String last = ResultTable.text(report).lines().toList().get(2);
        assertThat(last).endsWith("failed: " + "x".repeat(72 - "failed: ".length() - 1) + "…");
        assertThat(ResultTable.markdown(report)).contains("failed: " + "x".repeat(200) + " |");
    }

    @Test
    void markdownHasATableTheOverridesAndThePlot() {
        RunReport report = new RunReport("c", STAGES, new Overrides(1, 2000), Comparisons.of(STAGES, ANCESTORS), 61);
        String md = MarkdownReport.of(report, "accuracy.png");
        assertThat(md).contains("| Stage | Model | Teacher | Test acc | Best | Epochs | Train time | Outcome |\n|---|---|---|---:|---:|---:|---:|---|\n")
                .contains("| student-alone | plain-cnn-2 | - |")
                .contains("`--epochs 1 --max-train-samples 2000`").contains("![test accuracy per epoch](accuracy.png)")
                .contains("- **plain-cnn-2**: `student` (via assistant ← teacher) 84.10%\n  - +0.90 pts vs `student-direct`")
                .contains("1m 01s");
    }

    @Test
    void withAValidationSplitTheTableHasAValidationColumnBeforeTheTestColumn() {
        dev.distillation.api.v1alpha1.StageMetrics m = new dev.distillation.api.v1alpha1.StageMetrics();
        m.setValidationAccuracy(0.8765);
        m.setTestAccuracy(0.8612);
        m.setBestTestAccuracy(0.87);
        m.setEpochs(3);
        m.setTrainSeconds(12.0);
        StageReport trained = new StageReport("s", "plain-cnn", 2, 1.0, null, false, StageReport.Outcome.TRAINED, null, "sha256:x", m,
                List.of());
        RunReport report = new RunReport("c", List.of(trained), Overrides.NONE, List.of(), 1);

        assertThat(ResultTable.markdown(report))
                .contains("| Stage | Model | Teacher | Val acc | Test acc | Best | Epochs | Train time | Outcome |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---|\n")
                .contains("| s | plain-cnn-2 | - | 87.65% | 86.12% | 87.00% | 3 |");
        List<String> lines = ResultTable.text(report).lines().toList();
        assertThat(lines.get(0)).contains("Val acc  Test acc");
        assertThat(lines.get(2)).contains("87.65%    86.12%");
        assertThat(RunConsole.accuracies(m)).isEqualTo("val acc 87.65%, test acc 86.12%");
        m.setValidationAccuracy(null);
        assertThat(RunConsole.accuracies(m)).isEqualTo("test acc 86.12%");
    }
}
