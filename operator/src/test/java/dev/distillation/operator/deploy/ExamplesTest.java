package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.ChainYaml;
import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.validation.ChainValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every chain in examples/ reads and validates with the same code the operator and `distill run` use. */
class ExamplesTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Repo.root().resolve("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleReadsAndValidates(Path file) throws Exception {
        DistillationChain chain = ChainYaml.read(file);

        assertThat(ChainValidator.validate(chain)).as("validation errors of %s", file.getFileName()).isEmpty();
        assertThat(StageGraph.of(chain.getSpec())).isNotNull();
    }

    @Test
    void theDeploymentGuidesExamplesAreThereAndNamedAfterTheirFiles() throws Exception {
        for (String name : List.of("cifar10-plain-cnn", "cifar100-resnet", "multi-step", "assistant-sweep",
                "pretrained-teacher", "gpu-cluster")) {
            DistillationChain chain = ChainYaml.read(Repo.root().resolve("examples/" + name + ".yaml"));
            assertThat(chain.getMetadata().getName()).isEqualTo(name);
        }
    }

    @Test
    void examplesShowWhatTheyClaim() throws Exception {
        assertThat(path("cifar10-plain-cnn")).isEqualTo("teacher:plain-cnn-10, assistant:plain-cnn-4<teacher, "
                + "student:plain-cnn-2<assistant, student-direct:plain-cnn-2<teacher, student-alone:plain-cnn-2");
        assertThat(path("cifar100-resnet")).isEqualTo("teacher:resnet-110, assistant:resnet-20<teacher, "
                + "student:resnet-8<assistant, student-direct:resnet-8<teacher, student-alone:resnet-8");
        assertThat(path("multi-step")).isEqualTo("cnn-10:plain-cnn-10, cnn-8:plain-cnn-8<cnn-10, cnn-6:plain-cnn-6<cnn-8, "
                + "cnn-4:plain-cnn-4<cnn-6, cnn-2:plain-cnn-2<cnn-4");
        assertThat(path("assistant-sweep")).isEqualTo("teacher:plain-cnn-10, ta-8:plain-cnn-8<teacher, "
                + "ta-6:plain-cnn-6<teacher, ta-4:plain-cnn-4<teacher, student-via-8:plain-cnn-2<ta-8, "
                + "student-via-6:plain-cnn-2<ta-6, student-via-4:plain-cnn-2<ta-4, student-direct:plain-cnn-2<teacher");

        DistillationChain pretrained = ChainYaml.read(Repo.root().resolve("examples/pretrained-teacher.yaml"));
        assertThat(pretrained.getSpec().getStages().get(0).getPretrained().getClaimName()).isEqualTo("cifar10-plain-cnn-teacher");

        DistillationChain gpu = ChainYaml.read(Repo.root().resolve("examples/gpu-cluster.yaml"));
        assertThat(gpu.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "ml-team");
        assertThat(gpu.getSpec().getTrainer().getNodeSelector()).isNotEmpty();
        assertThat(gpu.getSpec().getTrainer().getTolerations()).isNotEmpty();
        assertThat(gpu.getSpec().getTrainer().getPriorityClassName()).isEqualTo("batch-low");
        assertThat(gpu.getSpec().getStorage().getStorageClassName()).isEqualTo("fast-ssd");
    }

    private static String path(String name) throws Exception {
        DistillationChain chain = ChainYaml.read(Repo.root().resolve("examples/" + name + ".yaml"));
        return chain.getSpec().getStages().stream().map(ExamplesTest::describe).collect(Collectors.joining(", "));
    }

    private static String describe(StageSpec s) {
        return s.getName() + ":" + s.getModel().getArchitecture() + "-" + s.getModel().getDepth()
                + (s.getTeacher() == null ? "" : "<" + s.getTeacher());
    }
}
