package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.ChainYaml;
import dev.distillation.api.validation.ChainValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every chain in examples/ (the files users copy) and experiments/ (the chains behind the
 * published results) reads and passes the same validator {@code distill run} and the operator use.
 */
class ExamplesTest {

    /** Surefire runs in trainer-image/; the examples are at the repository root. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path EXAMPLES = ROOT.resolve("examples");
    static final Path EXPERIMENTS = ROOT.resolve("experiments");

    static List<Path> chainFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    static List<Path> exampleFiles() throws IOException {
        return chainFiles(EXAMPLES);
    }

    @Test
    void theQuickStartIsThere() throws IOException {
        assertThat(exampleFiles()).contains(EXAMPLES.resolve("quickstart.yaml"));
    }

    @Test
    void theStudyChainsAreThere() throws IOException {
        assertThat(chainFiles(EXPERIMENTS)).contains(EXPERIMENTS.resolve("takd-fashion/study.yaml"));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleAndExperimentIsAValidChain() throws IOException {
        return Stream.concat(exampleFiles().stream(), chainFiles(EXPERIMENTS).stream())
                .map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () ->
                        assertThat(ChainValidator.validate(ChainYaml.read(file))).as("validation errors of %s", file).isEmpty()));
    }

    /** The tuned study's chains are written by a script (one per training-set size and seed); they are valid chains too. */
    @TestFactory
    Stream<DynamicTest> theTunedStudysGeneratedChainsAreValid(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        Process p = new ProcessBuilder("python3", EXPERIMENTS.resolve("takd-tuned/chains.py").toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        List<Path> files = chainFiles(out);
        assertThat(files).hasSize(12).contains(out.resolve("tuned-n1000-s1.yaml"), out.resolve("tuned-n55000-s3.yaml"));
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () ->
                assertThat(ChainValidator.validate(ChainYaml.read(file))).as("validation errors of %s", file).isEmpty()));
    }
}
