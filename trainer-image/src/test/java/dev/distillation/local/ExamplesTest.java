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
}
