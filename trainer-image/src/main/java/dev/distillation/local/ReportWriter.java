package dev.distillation.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run's report files into the chain's folder: report.json, accuracy.png and report.md. */
public final class ReportWriter {

    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MD = "report.md";
    public static final String PLOT_PNG = "accuracy.png";

    private ReportWriter() {}

    static void write(RunReport report, Path chainDir, ObjectMapper json) throws IOException {
        Files.createDirectories(chainDir);
        json.writeValue(chainDir.resolve(REPORT_JSON).toFile(), report);
        boolean plotted = AccuracyPlot.write(report, chainDir.resolve(PLOT_PNG));
        Files.writeString(chainDir.resolve(REPORT_MD), MarkdownReport.of(report, plotted ? PLOT_PNG : null));
    }
}
