package dev.distillation.local;

import dev.distillation.trainer.EpochResult;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The PNG plot of test accuracy per epoch, one line per stage (XChart, headless). */
public final class AccuracyPlot {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;
    /** Up to this many stages the legend sits inside the plot, in its lower right corner. */
    static final int INSIDE_LEGEND_MAX = 8;
    /** With more, it goes to the right of the plot: the image is this much wider, and tall enough for every entry. */
    static final int OUTSIDE_LEGEND_WIDTH = 300;
    private static final int LEGEND_ROW = 21;

    private AccuracyPlot() {}

    /** The image's width for a plot of {@code curves} stages. */
    static int width(long curves) {
        return legendInside(curves) ? WIDTH : WIDTH + OUTSIDE_LEGEND_WIDTH;
    }

    /** The image's height for a plot of {@code curves} stages: room for one legend row per stage beside the plot. */
    static int height(long curves) {
        return legendInside(curves) ? HEIGHT : (int) Math.max(HEIGHT, 80 + LEGEND_ROW * curves);
    }

    private static boolean legendInside(long curves) {
        return curves <= INSIDE_LEGEND_MAX;
    }

    /** Writes the plot to {@code file}; returns false (and writes nothing) when no stage has a learning curve. */
    public static boolean write(RunReport report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<StageReport> plotted = report.stages().stream().filter(s -> s.curve() != null && !s.curve().isEmpty()).toList();
        if (plotted.isEmpty()) {
            return false;
        }
        int curves = plotted.size();
        XYChart chart = new XYChartBuilder().width(width(curves)).height(height(curves))
                .title(report.chain() + ": test accuracy per epoch")
                .xAxisTitle("epoch").yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setLegendPosition(legendInside(curves) ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#0");
        chart.getStyler().setYAxisDecimalPattern("#0.0");
        for (StageReport s : plotted) {
            double[] x = s.curve().stream().mapToDouble(EpochResult::epoch).toArray();
            double[] y = s.curve().stream().mapToDouble(e -> e.testAccuracy() * 100).toArray();
            chart.addSeries(s.name() + " (" + s.model() + ")", x, y);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }
}
