package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.local.StageReport.Outcome;
import dev.distillation.trainer.EpochResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aFewStagesKeepTheLegendInsideTheDefaultSize() throws Exception {
        Path png = dir.resolve("few.png");
        assertThat(AccuracyPlot.write(chainOf(AccuracyPlot.INSIDE_LEGEND_MAX), png)).isTrue();
        PngAssert.isImage(png, AccuracyPlot.WIDTH, AccuracyPlot.HEIGHT);
    }

    @Test
    void manyStagesGetALegendBesideThePlotWithARowEach() throws Exception {
        // 30 stages, as in the teacher-assistant study: inside, the legend covered the curves and ran off the top
        Path png = dir.resolve("many.png");
        assertThat(AccuracyPlot.write(chainOf(30), png)).isTrue();
        assertThat(AccuracyPlot.height(30)).isGreaterThan(AccuracyPlot.HEIGHT);
        PngAssert.isImage(png, AccuracyPlot.WIDTH + AccuracyPlot.OUTSIDE_LEGEND_WIDTH, AccuracyPlot.height(30));
    }
}
