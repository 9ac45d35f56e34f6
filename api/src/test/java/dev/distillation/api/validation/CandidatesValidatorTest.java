package dev.distillation.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.ChainFileException;
import dev.distillation.api.ChainYaml;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of spec.stages[].candidates, each as the error a user sees (path and message). */
class CandidatesValidatorTest {

    static final String CHAIN = """
            apiVersion: distillation.dev/v1alpha1
            kind: DistillationChain
            metadata: {name: choose}
            spec:
              dataset: {builtin: fashion-mnist, validation: {size: 5000}}
              stages:
                - {name: teacher, model: {architecture: plain-cnn, depth: 10}}
                - name: assistant
                  teacher: teacher
                  model: {architecture: plain-cnn, depth: 4}
                  candidates: %s
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{models: [{depth: 4}, {depth: 6, width: 0.5}], temperature: [2, 4], alpha: [0.5, 0.9]}", null, null),
                Arguments.of("{temperature: [2]}", null, null),
                Arguments.of("{}", "spec.stages[1].candidates", "list at least one of models, temperature, alpha"),
                Arguments.of("{models: []}", "spec.stages[1].candidates.models", "lists no value: leave it out to keep the stage's own"),
                Arguments.of("{alpha: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}", "spec.stages[1].candidates.alpha",
                        "at most 8 values (found 9)"),
                Arguments.of("{models: [{depth: 5}]}", "spec.stages[1].candidates.models[0].depth",
                        "plain-cnn supports depths [2, 4, 6, 8, 10] (found 5)"),
                Arguments.of("{models: [{width: 0}]}", "spec.stages[1].candidates.models[0].width", "must be greater than 0"),
                Arguments.of("{alpha: [0.5, 1.5]}", "spec.stages[1].candidates.alpha[1]", "must be between 0 and 1 (found 1.5)"),
                Arguments.of("{temperature: [2, null]}", "spec.stages[1].candidates.temperature", "a value is empty"),
                Arguments.of("{temperature: [0]}", "spec.stages[1].candidates.temperature[0]", "must be greater than 0"),
                Arguments.of("{temperature: [2, 2.0]}", "spec.stages[1].candidates",
                        "candidate 'assistant-d4-w1-t2-a0.9' is listed twice: each combination of values must be different"),
                Arguments.of("{models: [{depth: 2}, {depth: 4}, {depth: 6}, {depth: 8}, {depth: 10}], temperature: [1, 2, 3], alpha: [0.1, 0.5, 0.9]}",
                        "spec.stages[1].candidates", "lists 45 combinations; at most 32 can train"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(String candidates, String path, String message) throws ChainFileException {
        var errors = ChainValidator.validate(ChainYaml.parse("c.yaml", CHAIN.formatted(candidates)));
        if (path == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).path()).isEqualTo(path);
            assertThat(errors.get(0).message()).startsWith(message);
        }
    }

    static Stream<Arguments> chainCases() {
        return Stream.of(
                Arguments.of("without a validation split", CHAIN.formatted("{temperature: [2, 4]}").replace(", validation: {size: 5000}", ""),
                        "spec.stages[1].candidates", "candidates are chosen on a validation split: set spec.dataset.validation (e.g. {size: 5000})"),
                Arguments.of("temperature on a stage without teacher", CHAIN.formatted("{models: [{depth: 4}]}")
                        .replace("{name: teacher, model: {architecture: plain-cnn, depth: 10}}",
                                "{name: teacher, model: {architecture: plain-cnn, depth: 10}, candidates: {temperature: [2]}}"),
                        "spec.stages[0].candidates.temperature",
                        "temperature and alpha weigh a teacher's signal: a stage without a teacher can only list models"),
                Arguments.of("a candidate named like a stage", CHAIN.formatted("{temperature: [2]}")
                        .replace("- name: assistant", "- name: teacher-d8-w1")
                        .replace("{name: teacher, model: {architecture: plain-cnn, depth: 10}}",
                                "{name: teacher, model: {architecture: plain-cnn, depth: 10}, candidates: {models: [{depth: 8}]}}"),
                        "spec.stages[0].candidates", "candidate 'teacher-d8-w1' has the name of a stage: rename that stage"),
                Arguments.of("a name longer than a label", CHAIN.formatted("{temperature: [2.123456789012345], alpha: [0.123456789012345]}")
                        .replace("- name: assistant", "- name: " + "a".repeat(20)),
                        "spec.stages[1].candidates", "candidate name '" + "a".repeat(20)
                                + "-d4-w1-t2.123456789012345-a0.123456789012345' is longer than 63 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chainCases")
    void chainRule(String name, String yaml, String path, String message) throws ChainFileException {
        var errors = ChainValidator.validate(ChainYaml.parse("c.yaml", yaml));
        assertThat(errors).extracting(ValidationError::path).containsExactly(path);
        assertThat(errors.get(0).message()).startsWith(message);
    }
}
