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

/** Every chain in examples/ (the files users copy) reads and passes the same validator {@code distill run} and the operator use. */
class ExamplesTest {

    /** Surefire runs in trainer-image/; the examples are at the repository root. */
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    @Test
    void theQuickStartIsThere() throws IOException {
        assertThat(exampleFiles()).contains(EXAMPLES.resolve("quickstart.yaml"));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsAValidChain() throws IOException {
        return exampleFiles().stream().map(file -> DynamicTest.dynamicTest(EXAMPLES.relativize(file).toString(), () ->
                assertThat(ChainValidator.validate(ChainYaml.read(file))).as("validation errors of %s", file).isEmpty()));
    }
}
