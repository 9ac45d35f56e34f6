package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.distillation.api.job.StageJobInput;
import dev.distillation.api.job.StageJobModel;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.data.Dataset;
import dev.distillation.trainer.data.Datasets;
import dev.distillation.trainer.data.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train, export, load the export in a fresh process ({@code distill predict} of the packaged jar) and
 * get the predictions of the trainer's own evaluation, image by image: for a built-in network (the
 * export DJL's model loader rebuilds with the block factory serving.properties names) and for a
 * TorchScript one (the export's model.pt).
 */
class ExportRoundTripIT {

    static final StageRunner TRAINER = new StageRunner(new TrainerOptions("cpu", 2, null));

    @TempDir
    Path work;

    @Test
    void aBuiltInNetworksExportPredictsWhatTheTrainerEvaluated() throws Exception {
        Path stage = work.resolve("plain");
        StageMetrics m = TRAINER.run(TestData.job("plain", TestData.sample(), stage, TestData.model(Architecture.PLAIN_CNN, 2),
                TestData.training(2), null, null), null);
        Path export = stage.resolve("export");
        assertThat(export.resolve("model-0000.params")).hasSameBinaryContentAs(stage.resolve("model.params"));
        Properties p = new Properties();
        p.load(Files.newBufferedReader(export.resolve("serving.properties")));
        assertThat(p).containsEntry("engine", "PyTorch").containsEntry("blockFactory", ServingBlockFactory.class.getName());
        assertThat(Files.readAllLines(export.resolve("synset.txt"))).hasSize(10);

        roundTrip(stage, m);
    }

    @Test
    void aTorchScriptStudentsExportPredictsWhatTheTrainerEvaluated() throws Exception {
        Path stage = work.resolve("ts");
        StageJobModel model = new StageJobModel(Architecture.TORCHSCRIPT, null, null,
                TorchScriptStageTest.fixture("tiny-1x28x28-10.pt").toString(), new StageJobInput(1, 28, 28, null, null), 10);
        StageMetrics m = TRAINER.run(TestData.job("ts", TestData.sample(), stage, model, TestData.training(2), null, null), null);
        assertThat(stage.resolve("export/model.pt")).hasSameBinaryContentAs(stage.resolve("model.pt"));
        assertThat(Files.readString(stage.resolve("export/serving.properties"))).contains("engine=PyTorch").doesNotContain("blockFactory");

        roundTrip(stage, m);
    }

    /** The trainer's evaluation of the stage's test split, against distill predict of its export in another process. */
    private void roundTrip(Path stage, StageMetrics metrics) throws Exception {
        Dataset data = Datasets.read(DatasetFormat.IDX, TestData.sample(), "sample");
        ModelFiles.Loaded loaded = ModelFiles.load(stage, Device.cpu(), "stage");
        int[] expected;
        try {
            Batches batches = new Batches(data.test(), loaded.info().normalizationValue(), 10,
                    MemoryLayout.channelsLast(Device.cpu(), loaded.info()));
            float[] logits = Evaluator.logitsOf(loaded.block(), batches, data.test().size(), 10, Device.cpu());
            expected = new int[data.test().size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Evaluator.argmax(logits, i * 10, 10);
            }
        } finally {
            loaded.model().close();
        }

        Path csv = work.resolve(stage.getFileName() + "-predictions.csv");
        JarProcess.Result r = JarProcess.run(work, "1g", Map.of(), "predict", stage.resolve("export").toString(),
                TestData.sample().resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--labels", TestData.sample().resolve("t10k-labels-idx1-ubyte.gz").toString(),
                "--output", csv.toString(), "--threads", "2");
        assertThat(r.exit()).as("stdout: %s; stderr: %s", r.out(), r.err()).isZero();

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("index,predicted,class,label");
        int[] predicted = lines.stream().skip(1).mapToInt(l -> Integer.parseInt(l.split(",")[1])).toArray();
        assertThat(predicted).containsExactly(expected);
        // the accuracy of those predictions is the stage's own test accuracy
        assertThat(r.out()).contains(String.format(Locale.ROOT, "accuracy %.4f", metrics.getTestAccuracy()));
        int[] labels = IdxReader.readFiles(TestData.sample().resolve("t10k-images-idx3-ubyte.gz"),
                TestData.sample().resolve("t10k-labels-idx1-ubyte.gz")).labels();
        long correct = IntStream.range(0, labels.length).filter(i -> expected[i] == labels[i]).count();
        assertThat((double) correct / labels.length).isEqualTo(metrics.getTestAccuracy());
    }
}
