package dev.distillation.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.BuiltinDataset;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.Retain;
import dev.distillation.api.v1alpha1.TaintEffect;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChainYamlTest {

    @Test
    void readsAGoodFile() throws ChainFileException {
        DistillationChain chain = ChainYaml.read(Fixtures.path(Fixtures.FASHION_TAKD));

        assertThat(chain.getApiVersion()).isEqualTo("distillation.dev/v1alpha1");
        assertThat(chain.getKind()).isEqualTo("DistillationChain");
        assertThat(chain.getMetadata().getName()).isEqualTo("fashion-takd");
        assertThat(chain.getSpec().getDataset().getBuiltin()).isEqualTo(BuiltinDataset.FASHION_MNIST);
        assertThat(chain.getSpec().getTrainer().getResources().getCpu()).isEqualTo(new Quantity("4"));
        assertThat(chain.getSpec().getTrainer().getResources().getMemory()).isEqualTo(new Quantity("8Gi"));
        assertThat(chain.getSpec().getTrainer().getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(chain.getSpec().getTrainer().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getEffect()).isEqualTo(TaintEffect.NO_SCHEDULE));
        assertThat(chain.getSpec().getStorage().getRetain()).isEqualTo(Retain.FINAL);
        assertThat(chain.getSpec().getTraining().getWeightDecay()).isEqualTo(5.0e-4);
        assertThat(chain.getSpec().effectiveParallelism()).isEqualTo(2);
        assertThat(chain.getSpec().isSuspended()).isFalse();
        assertThat(chain.getSpec().getStages()).extracting(s -> s.getName() + "<" + s.getTeacher()).containsExactly(
                "teacher<null", "assistant<teacher", "student<assistant", "student-direct<teacher", "student-alone<null");
        assertThat(chain.getSpec().getStages().get(0).getModel().getArchitecture()).isEqualTo(Architecture.PLAIN_CNN);

        DistillationChain cifar = ChainYaml.read(Fixtures.path(Fixtures.CIFAR10_RESNET));
        assertThat(cifar.getSpec().getDataset().getVolume().getFormat()).isEqualTo(DatasetFormat.CIFAR10);
        assertThat(cifar.getSpec().getStages().get(0).getPretrained().getClaimName()).isEqualTo("resnet110-weights");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("bad/unknown-field.yaml", "spec.stages[1].modle: unknown field 'modle'"),
                Arguments.of("bad/wrong-kind.yaml", "expected apiVersion: distillation.dev/v1alpha1 and kind: DistillationChain, "
                        + "found apiVersion: 'distillation.dev/v1alpha1', kind: 'DistillationPipeline'"),
                Arguments.of("bad/wrong-api-version.yaml", "expected apiVersion: distillation.dev/v1alpha1 and kind: DistillationChain, "
                        + "found apiVersion: 'distillation.dev/v1', kind: 'DistillationChain'"),
                Arguments.of("bad/bad-enum.yaml", "spec.stages[1].model.architecture: 'vgg' is not one of plain-cnn, resnet"),
                Arguments.of("bad/wrong-type.yaml", "spec.stages[0].model.depth: 'ten' is not a valid Integer"),
                Arguments.of("bad/not-yaml.yaml", "not valid YAML"),
                Arguments.of("bad/not-a-mapping.yaml", "expected a DistillationChain object (apiVersion, kind, metadata, spec)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileMessagesNameTheFileAndTheField(String resource, String message) {
        Path file = Fixtures.path(resource);
        assertThatThrownBy(() -> ChainYaml.read(file))
                .isInstanceOf(ChainFileException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ChainYaml.read(file))
                .isInstanceOf(ChainFileException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void emptyFile() {
        assertThatThrownBy(() -> ChainYaml.parse("empty.yaml", ""))
                .isInstanceOf(ChainFileException.class)
                .hasMessageStartingWith("empty.yaml: expected a DistillationChain object");
    }

    @Test
    void unknownFieldsAreErrorsAtEveryLevel() {
        String yaml = """
                apiVersion: distillation.dev/v1alpha1
                kind: DistillationChain
                metadata: {name: x}
                spec:
                  dataset: {builtin: fashion-mnist}
                  training: {epoch: 3}
                  stages: [{name: t, model: {architecture: plain-cnn, depth: 2}}]
                """;
        assertThatThrownBy(() -> ChainYaml.parse("x.yaml", yaml))
                .hasMessage("x.yaml: spec.training.epoch: unknown field 'epoch'");
    }
}
