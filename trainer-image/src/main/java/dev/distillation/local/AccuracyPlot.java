package dev.distillation.local;

import dev.distillation.trainer.EpochResult;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The PNG plot of test accuracy per epoch, one line per stage (XChart, headless). */
public final class AccuracyPlot {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    private AccuracyPlot() {}

    /** Writes the plot to {@code file}; returns false (and writes nothing) when no stage has a learning curve. */
    public static boolean write(RunReport report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(report.chain() + ": test accuracy per epoch")
                .xAxisTitle("epoch").yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#0");
        chart.getStyler().setYAxisDecimalPattern("#0.0");
        int series = 0;
        for (StageReport s : report.stages()) {
            if (s.curve() == null || s.curve().isEmpty()) {
                continue;
            }
            double[] x = s.curve().stream().mapToDouble(EpochResult::epoch).toArray();
            double[] y = s.curve().stream().mapToDouble(e -> e.testAccuracy() * 100).toArray();
            chart.addSeries(s.name() + " (" + s.model() + ")", x, y);
            series++;
        }
        if (series == 0) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }
}
