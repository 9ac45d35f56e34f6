package dev.distillation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.cli.RunCommandTest.Run;
import dev.distillation.trainer.TestData;
import dev.distillation.trainer.data.IdxReader;
import dev.distillation.trainer.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distill run} on a chain that mixes TorchScript files (src/test/resources/torchscript) and
 * built-in networks: a TorchScript teacher trained from its file, a built-in student of it, a
 * TorchScript student of that one, and a TorchScript file evaluated as a pretrained stage; the files
 * come from a local folder given for their volume.
 */
class TorchScriptRunTest {

    static final String CHAIN = """
            apiVersion: distillation.dev/v1alpha1
            kind: DistillationChain
            metadata: {name: mixed}
            spec:
              dataset: {volume: {claimName: fmnist, format: idx}}
              training: {epochs: 2, batchSize: 64, learningRate: 0.05}
              stages:
                - name: teacher
                  model:
                    architecture: torchscript
                    torchscript: {claimName: models, path: /cnn-1x28x28-10.pt}
                    input: {channels: %d, height: 28, width: 28, mean: %s, std: %s}
                    classes: 10
                - {name: assistant, model: {architecture: plain-cnn, depth: 2}, teacher: teacher}
                - name: student
                  model:
                    architecture: torchscript
                    torchscript: {claimName: models, path: /tiny-1x28x28-10.pt}
                    input: {channels: 1, height: 28, width: 28}
                    classes: 10
                  teacher: assistant
                - name: as-is
                  model:
                    architecture: torchscript
                    input: {channels: 1, height: 28, width: 28}
                    classes: 10
                  pretrained: {claimName: models, path: /cnn-1x28x28-10.pt}
            """;

    @TempDir
    static Path work;
    static Run first;

    static Path models() {
        try {
            return Path.of(TorchScriptRunTest.class.getResource("/torchscript").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the chain in {@code workdir} with the teacher declared for {@code channels} channels of that mean and std. */
    static Run run(String workdir, int channels, String mean, String std) throws IOException {
        Path file = work.resolve(workdir + ".yaml");
        Files.writeString(file, CHAIN.formatted(channels, mean, std));
        return RunCommandTest.distill("run", file.toString(), "--workdir", work.resolve(workdir).toString(),
                "--volume", "fmnist=" + TestData.sample(), "--volume", "models=" + models(), "--max-train-samples", "600",
                "--threads", "2");
    }

    static JsonNode report() throws IOException {
        return new ObjectMapper().readTree(work.resolve("runs/mixed/report.json").toFile());
    }

    @BeforeAll
    static void runTheChainOnce() throws IOException {
        first = run("runs", 1, "[0.286]", "[0.353]");
    }

    @Test
    void everyStageOfTheMixedChainTrainsOrIsEvaluated() throws IOException {
        assertThat(first.exitCode()).as("stdout: %s; stderr: %s", first.out(), first.err()).isZero();
        Path runs = work.resolve("runs/mixed");
        assertThat(runs.resolve("teacher/model.pt")).isNotEmptyFile();
        assertThat(runs.resolve("assistant/model.params")).isNotEmptyFile();
        assertThat(runs.resolve("student/model.pt")).isNotEmptyFile();
        assertThat(runs.resolve("as-is/model.pt")).hasSameBinaryContentAs(models().resolve("cnn-1x28x28-10.pt"));
        JsonNode stages = report().path("stages");
        assertThat(stages).hasSize(4);
        for (JsonNode s : stages) {
            if (!s.path("name").asText().equals("as-is")) {
                // ten classes: chance is 0.1
                assertThat(s.path("metrics").path("testAccuracy").asDouble()).as(s.path("name").asText()).isGreaterThan(0.3);
            }
        }
        assertThat(stages.get(1).path("metrics").path("teacherLogits").asText()).isEqualTo("cached");
        assertThat(stages.get(0).has("depth")).as("a torchscript network has no depth").isFalse();
        JsonNode teacherInfo = new ObjectMapper().readTree(runs.resolve("teacher/model.json").toFile());
        assertThat(teacherInfo.path("normalization").path("mean").get(0).asDouble()).as("the declared mean").isEqualTo(0.286);
        assertThat(first.out()).contains("teacher (torchscript, from labels): training 2 epochs",
                "student (torchscript, from assistant)", "as-is (torchscript, pretrained): evaluating: new")
                .doesNotContain("as-is (torchscript, from labels)");
    }

    @Test
    void distillPredictClassifiesWithAStageOrItsExportAsTheStageEvaluated() throws Exception {
        assertThat(first.exitCode()).isZero();
        Path images = TestData.sample().resolve("t10k-images-idx3-ubyte.gz");
        Path labels = TestData.sample().resolve("t10k-labels-idx1-ubyte.gz");
        for (String stage : List.of("student", "assistant")) {
            double accuracy = stageAccuracy(stage);
            for (Path model : List.of(work.resolve("runs/mixed").resolve(stage), work.resolve("runs/mixed").resolve(stage).resolve("export"))) {
                Run r = RunCommandTest.distill("predict", model.toString(), images.toString(), "--labels", labels.toString(), "--threads", "2");
                assertThat(r.exitCode()).as("stdout: %s; stderr: %s", r.out(), r.err()).isZero();
                assertThat(r.out()).contains("300 images", String.format(Locale.ROOT, "accuracy %.4f", accuracy));
            }
        }

        // the first test images of classes 3 and 7 as PNG files in class folders: labelled by their folder
        ImageSet test = IdxReader.readFiles(images, labels);
        Path folder = work.resolve("pngs");
        int[] picked = {firstOf(test, 3), firstOf(test, 7)};
        for (int i : picked) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, Arrays.copyOfRange(test.pixels(), i * 784, (i + 1) * 784));
            Files.createDirectories(folder.resolve(String.valueOf(test.label(i))));
            ImageIO.write(img, "png", folder.resolve(test.label(i) + "/" + i + ".png").toFile());
        }
        Path csv = work.resolve("pngs.csv");
        Run r = RunCommandTest.distill("predict", work.resolve("runs/mixed/student/export").toString(), folder.toString(),
                "--output", csv.toString(), "--threads", "2");
        assertThat(r.exitCode()).as("stdout: %s; stderr: %s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("2 images, accuracy");
        Path all = work.resolve("all.csv");
        assertThat(RunCommandTest.distill("predict", work.resolve("runs/mixed/student/export").toString(), images.toString(),
                "--labels", labels.toString(), "--output", all.toString()).exitCode()).isZero();
        List<String> idxLines = Files.readAllLines(all);
        List<String> pngLines = Files.readAllLines(csv);
        assertThat(pngLines.get(1).split(",")[1]).as("same prediction from the PNG as from the IDX file")
                .isEqualTo(idxLines.get(1 + picked[0]).split(",")[1]);
        assertThat(pngLines.get(2).split(",")[1]).isEqualTo(idxLines.get(1 + picked[1]).split(",")[1]);
        assertThat(pngLines.get(1)).endsWith(",3");

        Path cifar = Files.write(work.resolve("batch.bin"), new byte[2 * 3073]);
        Run wrongShape = RunCommandTest.distill("predict", work.resolve("runs/mixed/student/export").toString(), cifar.toString());
        assertThat(wrongShape.exitCode()).isEqualTo(2);
        assertThat(wrongShape.err()).contains("[3, 32, 32]", "takes [1, 28, 28]");
        Run noModel = RunCommandTest.distill("predict", work.resolve("nowhere").toString(), images.toString());
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).contains("model.json");
    }

    static double stageAccuracy(String stage) throws IOException {
        for (JsonNode s : report().path("stages")) {
            if (s.path("name").asText().equals(stage)) {
                return s.path("metrics").path("testAccuracy").asDouble();
            }
        }
        throw new AssertionError("no stage " + stage);
    }

    static int firstOf(ImageSet set, int label) {
        for (int i = 0; i < set.size(); i++) {
            if (set.label(i) == label) {
                return i;
            }
        }
        throw new AssertionError("no image of class " + label);
    }

    @Test
    void aRerunReusesTheTorchScriptStagesAndADeclarationThatDoesNotFitIsBadInput() throws IOException {
        Run again = run("runs", 1, "[0.286]", "[0.353]");
        assertThat(again.exitCode()).as("stdout: %s; stderr: %s", again.out(), again.err()).isZero();
        assertThat(again.out()).contains("4 reused");

        // the dataset is on a volume: only the trainer, reading it, can tell that the images are grayscale
        Run rgb = run("rgb", 3, "[0.5, 0.5, 0.5]", "[0.25, 0.25, 0.25]");
        assertThat(rgb.exitCode()).as("bad input").isEqualTo(2);
        assertThat(rgb.out() + rgb.err()).contains("model.input.channels is 3 but dataset");
        assertThat(work.resolve("rgb/mixed/assistant/model.params")).doesNotExist();
    }
}
