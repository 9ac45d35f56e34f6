package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.local.StageReport.Outcome;
import dev.distillation.trainer.EpochResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the legend goes, read back from the PNG's pixels: the plot area and the legend are the two
 * boxes drawn in it. A few stages keep the legend inside the plot area, in its lower right corner,
 * at the size of a one-stage plot; many put it beside the plot area, whole, with a line per stage.
 */
class AccuracyPlotTest {

    @TempDir
    Path dir;

    private static RunReport chainOf(int stages) {
        List<StageReport> list = new ArrayList<>();
        for (int i = 0; i < stages; i++) {
            List<EpochResult> curve = List.of(new EpochResult(1, 1.0, 0.5, 0.5, 0.80 + i * 0.001, 0.05, 1, 100),
                    new EpochResult(2, 0.8, 0.6, 0.4, 0.85 + i * 0.001, 0.01, 1, 100));
            list.add(new StageReport("stage-" + i, "plain-cnn", 2, 1.0, null, false, Outcome.TRAINED, null, "sha256:x", null, curve));
        }
        return new RunReport("c", list, Overrides.NONE, List.of(), 1);
    }

    private PlotImage plot(int stages) throws Exception {
        Path png = dir.resolve(stages + ".png");
        assertThat(AccuracyPlot.write(chainOf(stages), png)).isTrue();
        PngAssert.isImage(png);
        return new PlotImage(png);
    }

    @Test
    void aFewStagesKeepTheLegendInsideThePlotAtTheSizeOfAOneStagePlot() throws Exception {
        PlotImage one = plot(1);
        PlotImage eight = plot(8);
        assertThat(eight.width()).isEqualTo(one.width());
        assertThat(eight.height()).isEqualTo(one.height());

        List<PlotImage.Box> boxes = eight.boxes();
        assertThat(boxes).as("the plot area and the legend").hasSize(2);
        PlotImage.Box area = boxes.get(0);
        PlotImage.Box legend = boxes.get(1);
        assertThat(area.contains(legend)).as("legend %s inside the plot area %s", legend, area).isTrue();
        // in the lower right corner
        assertThat(legend.left()).isGreaterThan(area.left() + area.width() / 2);
        assertThat(legend.top()).isGreaterThan(area.top() + area.height() / 2);
        assertThat(area.right() - legend.right()).isLessThan(area.width() / 20);
        assertThat(area.bottom() - legend.bottom()).isLessThan(area.height() / 20);
        assertThat(eight.textLines(legend)).as("a legend line per stage").isEqualTo(8);
    }

    @ParameterizedTest(name = "{0} stages")
    @ValueSource(ints = {9, 30})
    void manyStagesGetALegendBesideThePlotWithALineEach(int stages) throws Exception {
        // 30 stages, as in the teacher-assistant study: inside, the legend covered the curves and ran off the top
        PlotImage one = plot(1);
        PlotImage many = plot(stages);
        List<PlotImage.Box> boxes = many.boxes();
        assertThat(boxes).as("the plot area and the legend").hasSize(2);
        PlotImage.Box area = boxes.stream().filter(b -> b.left() < many.width() / 4).findFirst().orElseThrow();
        PlotImage.Box legend = boxes.stream().filter(b -> b != area).findFirst().orElseThrow();
        assertThat(legend.left()).as("legend %s right of the plot area %s", legend, area).isGreaterThan(area.right());
        assertThat(legend.top()).as("legend's top in the image").isPositive();
        assertThat(legend.bottom()).as("legend's bottom in the image").isLessThan(many.height() - 1);
        assertThat(legend.right()).as("legend's right side in the image").isLessThan(many.width() - 1);
        assertThat(many.textLines(legend)).as("a legend line per stage").isEqualTo(stages);
        // the curves keep at least the room they have in a one-stage plot
        PlotImage.Box oneArea = one.boxes().get(0);
        assertThat(area.width()).isGreaterThanOrEqualTo(oneArea.width());
        assertThat(area.height()).isGreaterThanOrEqualTo(oneArea.height());
    }

    @Test
    void noStageWithACurveWritesNoPlot() throws Exception {
        StageReport failed = new StageReport("s", "plain-cnn", 2, 1.0, null, false, Outcome.FAILED, "boom", "sha256:x", null, List.of());
        Path png = dir.resolve("none.png");
        assertThat(AccuracyPlot.write(new RunReport("c", List.of(failed), Overrides.NONE, List.of(), 1), png)).isFalse();
        assertThat(png).doesNotExist();
    }
}
