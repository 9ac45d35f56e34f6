package dev.distillation.cli;

import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.trainer.Predictions;
import dev.distillation.trainer.TrainerException;
import dev.distillation.trainer.TrainerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code distill predict}: classifies images with a finished stage's network (its folder, or the
 * export/ folder inside it), printing the accuracy when the images come with labels and writing every
 * prediction to a CSV file when asked. Exit codes: 0 done, 1 crashed, 2 bad input.
 */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        description = {"Classify images with a finished stage's network: its folder (runs/<chain>/<stage>) or its export/ folder.",
                "IMAGES is an IDX image file (labels with --labels), a CIFAR binary file (.bin, labelled) or a folder with one "
                        + "subfolder of images per class, named as the network's classes (labelled)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:crashed", "2:bad input (model folder, images, labels)"})
public final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A finished stage's folder, or its export/ folder.")
    Path model;

    @Parameters(index = "1", paramLabel = "IMAGES", description = "IDX image file, CIFAR binary file or image folder.")
    Path images;

    @Option(names = "--format", paramLabel = "idx|cifar10|cifar100|image-folder", converter = FormatConverter.class,
            description = "The images' format (default: a folder is an image folder, a .bin file CIFAR-10, else IDX).")
    DatasetFormat format;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX label file for an IDX image file: prints the accuracy.")
    Path labels;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Writes one CSV line per image: index, predicted class index, class name (and label when known).")
    Path output;

    @CommandLine.Mixin
    DeviceOptions deviceOptions = new DeviceOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final class FormatConverter implements CommandLine.ITypeConverter<DatasetFormat> {
        @Override
        public DatasetFormat convert(String value) {
            return DatasetFormat.fromValue(value);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            TrainerOptions options = deviceOptions.trainerOptions(null);
            Predictions.Result r = Predictions.predict(model, new Predictions.Input(images, format, labels), options);
            if (output != null) {
                writeCsv(r);
            }
            out.printf(Locale.ROOT, "distill predict: %d images%s%n", r.predicted().length,
                    r.accuracy() == null ? " (no labels: no accuracy)"
                            : String.format(Locale.ROOT, ", accuracy %.4f (%d correct)", r.accuracy(), r.correct()));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(err, TrainerException.BAD_INPUT, e.getMessage());
        } catch (TrainerException e) {
            return fail(err, e.exitCode(), e.getMessage());
        } catch (IOException e) {
            return fail(err, TrainerException.BAD_INPUT, "cannot write " + output + ": " + e.getMessage());
        } catch (Exception | Error e) {
            e.printStackTrace(err);
            return fail(err, TrainerException.FAILURE, "unexpected error: " + e);
        }
    }

    private void writeCsv(Predictions.Result r) throws IOException {
        StringBuilder csv = new StringBuilder(r.labels() == null ? "index,predicted,class\n" : "index,predicted,class,label\n");
        for (int i = 0; i < r.predicted().length; i++) {
            csv.append(i).append(',').append(r.predicted()[i]).append(',').append(r.classNames().get(r.predicted()[i]));
            if (r.labels() != null) {
                csv.append(',').append(r.labels()[i]);
            }
            csv.append('\n');
        }
        Files.writeString(output, csv, StandardCharsets.UTF_8);
    }

    private static int fail(PrintWriter err, int code, String message) {
        err.println("distill predict: error: " + message);
        err.flush();
        return code;
    }
}
