package dev.distillation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.local.AccuracyPlot;
import dev.distillation.local.PngAssert;
import dev.distillation.trainer.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code distill run} end to end with the real trainer on a tiny chain (three epochs of 600 images of the
 * committed Fashion-MNIST sample, given as a local folder for the chain's dataset volume): one shared
 * run, then a rerun that trains nothing, then an edit that re-trains only the student.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunCommandTest {

    static final String TINY = """
            apiVersion: distillation.dev/v1alpha1
            kind: DistillationChain
            metadata: {name: tiny}
            spec:
              dataset: {volume: {claimName: fmnist, format: idx}}
              training: {epochs: 3, batchSize: 64, learningRate: 0.05}
              stages:
                - {name: teacher, model: {architecture: plain-cnn, depth: 4}}
                - {name: student, model: {architecture: plain-cnn, depth: 2}, teacher: teacher%s}
                - {name: student-alone, model: {architecture: plain-cnn, depth: 2}}
            """;

    @TempDir
    static Path work;

    static Run first;

    record Run(int exitCode, String out, String err) {}

    static Run distill(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = DistillCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run runChain(String studentExtra) throws IOException {
        Path file = work.resolve("tiny.yaml");
        Files.writeString(file, TINY.formatted(studentExtra));
        return distill("run", file.toString(), "--workdir", work.resolve("runs").toString(),
                "--volume", "fmnist=" + TestData.sample(), "--max-train-samples", "600", "--threads", "2");
    }

    static JsonNode report() throws IOException {
        return new ObjectMapper().readTree(work.resolve("runs/tiny/report.json").toFile());
    }

    static List<String> outcomes() throws IOException {
        List<String> outcomes = new ArrayList<>();
        report().path("stages").forEach(s -> outcomes.add(s.path("name").asText() + "=" + s.path("outcome").asText()));
        return outcomes;
    }

    @BeforeAll
    static void runTheTinyChainOnce() throws IOException {
        first = runChain("");
    }

    @Test
    @Order(1)
    void firstRunTrainsEveryStageAndWritesTheReports() throws IOException {
        assertThat(first.exitCode()).as("exit code; stdout: %s; stderr: %s", first.out(), first.err()).isZero();
        for (String stage : List.of("teacher", "student", "student-alone")) {
            Path dir = work.resolve("runs/tiny").resolve(stage);
            assertThat(dir.resolve("model.params")).isNotEmptyFile();
            assertThat(dir.resolve("metrics.json")).isNotEmptyFile();
            assertThat(dir.resolve("fingerprint")).isNotEmptyFile();
        }
        JsonNode report = report();
        assertThat(report.path("chain").asText()).isEqualTo("tiny");
        assertThat(report.path("overrides").path("maxTrainSamples").asInt()).isEqualTo(600);
        JsonNode teacherMetrics = new ObjectMapper().readTree(work.resolve("runs/tiny/teacher/metrics.json").toFile());
        assertThat(teacherMetrics.path("trainSamples").asInt()).as("the override reached the trainer").isEqualTo(600);
        assertThat(report.path("stages")).hasSize(3);
        for (JsonNode s : report.path("stages")) {
            assertThat(s.path("reused").asBoolean()).isFalse();
            assertThat(s.path("metrics").path("testAccuracy").asDouble()).as(s.path("name").asText())
                    .isBetween(0.2, 1.0); // 10 classes: chance is 0.1; three short epochs reach 0.6 to 0.75
            assertThat(s.path("metrics").path("epochs").asInt()).isEqualTo(3);
            assertThat(s.path("curve")).hasSize(3);
        }
        assertThat(report.path("stages").get(1).path("teacher").asText()).isEqualTo("teacher");
        assertThat(Files.readString(work.resolve("runs/tiny/report.md"))).contains("| student-alone | plain-cnn-2 |");
        PngAssert.isImage(work.resolve("runs/tiny/accuracy.png"), AccuracyPlot.WIDTH, AccuracyPlot.HEIGHT);
        assertThat(first.out()).contains("Stage", "Test acc", "plain-cnn-2: student (from teacher)", "3 trained");
    }

    @Test
    @Order(2)
    void secondRunTrainsNothingAndSaysEveryStageIsReused() throws IOException {
        long before = Files.getLastModifiedTime(work.resolve("runs/tiny/teacher/model.params")).toMillis();
        Run again = runChain("");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("0 to train", "3 up to date", "3 reused").doesNotContain("epoch 1/3");
        assertThat(outcomes()).containsExactly("teacher=reused", "student=reused", "student-alone=reused");
        assertThat(report().path("stages")).allMatch(s -> s.path("reused").asBoolean());
        assertThat(Files.getLastModifiedTime(work.resolve("runs/tiny/teacher/model.params")).toMillis()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void changingTheStudentsEpochsRerunsOnlyTheStudent() throws IOException {
        Run edited = runChain(", training: {epochs: 4}");
        assertThat(edited.exitCode()).as("stdout: %s; stderr: %s", edited.out(), edited.err()).isZero();
        assertThat(outcomes()).containsExactly("teacher=reused", "student=trained", "student-alone=reused");
        assertThat(report().path("stages").get(1).path("metrics").path("epochs").asInt()).isEqualTo(4);
        assertThat(edited.out()).contains("student (plain-cnn-2, from teacher): training 4 epochs: settings changed");
    }

    @Test
    void missingFile() {
        Run r = distill("run", work.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml: no such file");
    }

    @Test
    void yamlThatIsNotADistillationChain() throws IOException {
        Path f = Files.writeString(work.resolve("deploy.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
        Run r = distill("run", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("deploy.yaml").contains("expected apiVersion: distillation.dev/v1alpha1");
    }

    @Test
    void invalidSpecNamesTheFieldAndTrainsNothing() throws IOException {
        Path f = Files.writeString(work.resolve("bad.yaml"), """
                apiVersion: distillation.dev/v1alpha1
                kind: DistillationChain
                metadata: {name: bad}
                spec:
                  dataset: {builtin: fashion-mnist}
                  stages:
                    - {name: teacher, model: {architecture: plain-cnn, depth: 10}}
                    - {name: student, model: {architecture: plain-cnn, depth: 3}, teacher: nobody}
                """);
        Run r = distill("run", f.toString(), "--workdir", work.resolve("bad-runs").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not a valid DistillationChain").contains("spec.stages[1].teacher")
                .contains("spec.stages[1].model.depth");
        assertThat(work.resolve("bad-runs")).doesNotExist();
    }

    @Test
    void missingDatasetIsBadInput() throws IOException {
        Path f = Files.writeString(work.resolve("vol.yaml"), """
                apiVersion: distillation.dev/v1alpha1
                kind: DistillationChain
                metadata: {name: vol}
                spec:
                  dataset: {volume: {claimName: fmnist, format: idx}}
                  stages: [{name: s, model: {architecture: plain-cnn, depth: 2}}]
                """);
        Run unmapped = distill("run", f.toString(), "--workdir", work.resolve("vol-runs").toString());
        assertThat(unmapped.exitCode()).isEqualTo(2);
        assertThat(unmapped.err()).contains("--volume fmnist=");

        Path empty = Files.createDirectories(work.resolve("empty-volume"));
        Run emptyData = distill("run", f.toString(), "--workdir", work.resolve("vol-runs").toString(),
                "--volume", "fmnist=" + empty);
        assertThat(emptyData.exitCode()).as("out: %s", emptyData.out()).isEqualTo(2);
        assertThat(emptyData.err()).startsWith("distill run: ").contains(empty.toString());
    }

    @Test
    void badOptionValue() {
        Run r = distill("run", "x.yaml", "--epochs", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--epochs");
    }
}
