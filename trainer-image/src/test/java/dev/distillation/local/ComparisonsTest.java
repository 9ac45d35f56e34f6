package dev.distillation.local;

import static dev.distillation.local.ReportFixtures.ANCESTORS;
import static dev.distillation.local.ReportFixtures.STAGES;
import static dev.distillation.local.ReportFixtures.stage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.local.RunReport.Comparison;
import dev.distillation.local.StageReport.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonsTest {

    @Test
    void comparesTheLongestDistilledPathWithTheBaselinesOfTheSameModel() {
        List<Comparison> cs = Comparisons.of(STAGES, ANCESTORS);
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
        assertThat(Comparisons.of(List.of(stage("a", 2, null, 0.8, Outcome.TRAINED),
                stage("b", 2, null, 0.81, Outcome.TRAINED)), Map.of())).isEmpty();
    }

    @Test
    void aBaselineWithoutAResultHasNoDifference() {
        StageReport failed = new StageReport("student-alone", "plain-cnn", 2, 1.0, null, false, Outcome.FAILED, "boom",
                "sha256:x", null, List.of());
        Comparison c = Comparisons.of(List.of(STAGES.get(2), failed), ANCESTORS).get(0);
        assertThat(c.baselines().get(0).difference()).isNull();
        assertThat(Comparisons.render(c, Comparisons.Markup.PLAIN).baselines()).containsExactly("? vs student-alone (no teacher) -");
    }

    @Test
    void theTerminalAndMarkdownSayTheSameWithTheirOwnMarkup() {
        Comparison c = Comparisons.of(STAGES, ANCESTORS).get(0);
        Comparisons.Lines plain = Comparisons.render(c, Comparisons.Markup.PLAIN);
        assertThat(plain.headline()).isEqualTo("plain-cnn-2: student (via assistant ← teacher) 84.10%");
        assertThat(plain.baselines()).containsExactly(
                "+0.90 pts vs student-direct (from teacher) 83.20%",
                "+2.10 pts vs student-alone (no teacher) 82.00%");
        Comparisons.Lines md = Comparisons.render(c, Comparisons.Markup.MARKDOWN);
        assertThat(md.headline()).isEqualTo("**plain-cnn-2**: `student` (via assistant ← teacher) 84.10%");
        assertThat(md.baselines()).containsExactly(
                "+0.90 pts vs `student-direct` (from teacher) 83.20%",
                "+2.10 pts vs `student-alone` (no teacher) 82.00%");
    }
}
