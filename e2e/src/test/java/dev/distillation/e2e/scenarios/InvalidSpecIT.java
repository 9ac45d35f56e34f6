package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Scenario 2: the real API server rejects invalid chains at apply time with the CRD's schema and
 * CEL messages, and nothing is created. No operator runs here: rejection must not depend on it.
 */
@ClusterTest
class InvalidSpecIT {

    private final KubernetesClient client;
    private final TestNamespace ns;

    InvalidSpecIT(KubernetesClient client, TestNamespace ns) {
        this.client = client;
        this.ns = ns;
    }

    static Stream<Arguments> invalidChains() {
        return Stream.of(
                arguments("duplicate stage names", edit(c -> stage(c, 2).put("name", "assistant")), "stage names must be unique"),
                arguments("unknown teacher", edit(c -> stage(c, 2).put("teacher", "professor")), "every stage's teacher must name a stage of this chain"),
                arguments("teacher listed after its student", edit(c -> stage(c, 0).put("teacher", "student")), "must be listed before it"),
                arguments("a stage teaching itself", edit(c -> stage(c, 1).put("teacher", "assistant")), "must be listed before it"),
                arguments("a two-stage cycle", edit(c -> {
                    stage(c, 0).put("teacher", "assistant");
                }), "must be listed before it"),
                arguments("plain-cnn depth 3", edit(c -> model(c, 0).put("depth", 3)), "plain-cnn depth must be one of 2, 4, 6, 8, 10"),
                arguments("resnet depth 21", edit(c -> model(c, 0).put("architecture", "resnet").put("depth", 21)), "resnet depth must be 6n+2"),
                arguments("resnet depth above 110", edit(c -> model(c, 0).put("architecture", "resnet").put("depth", 116)), "spec.stages[0].model.depth"),
                arguments("unknown architecture", edit(c -> model(c, 0).put("architecture", "vgg")), "Unsupported value: \"vgg\""),
                arguments("two dataset sources", edit(c -> ((ObjectNode) c.with("spec").with("dataset")).putObject("volume")
                        .put("claimName", "cifar").put("format", "cifar10")), "dataset needs exactly one source"),
                arguments("no dataset source", edit(c -> c.with("spec").putObject("dataset")), "dataset needs exactly one source"),
                arguments("epochs 0", edit(c -> c.with("spec").with("training").put("epochs", 0)), "spec.training.epochs"),
                arguments("stage epochs 0", edit(c -> stage(c, 2).putObject("training").put("epochs", 0)), "spec.stages[2].training.epochs"),
                arguments("batch size 0", edit(c -> c.with("spec").with("training").put("batchSize", 0)), "spec.training.batchSize"),
                arguments("alpha above 1", edit(c -> c.with("spec").with("training").put("alpha", 1.5)), "spec.training.alpha"),
                arguments("negative alpha", edit(c -> c.with("spec").with("training").put("alpha", -0.1)), "spec.training.alpha"),
                arguments("temperature 0", edit(c -> c.with("spec").with("training").put("temperature", 0)), "spec.training.temperature"),
                arguments("learning rate 0", edit(c -> c.with("spec").with("training").put("learningRate", 0)), "spec.training.learningRate"),
                arguments("momentum 1", edit(c -> c.with("spec").with("training").put("momentum", 1.0)), "spec.training.momentum"),
                arguments("unknown optimizer", edit(c -> c.with("spec").with("training").put("optimizer", "rmsprop")), "Unsupported value: \"rmsprop\""),
                arguments("parallelism 0", edit(c -> c.with("spec").put("parallelism", 0)), "spec.parallelism"),
                arguments("negative backoffLimit", edit(c -> c.with("spec").put("backoffLimit", -1)), "spec.backoffLimit"),
                arguments("negative gpu count", edit(c -> c.with("spec").with("trainer").with("resources").put("gpu", -1)), "spec.trainer.resources.gpu"),
                arguments("unknown retain policy", edit(c -> c.with("spec").putObject("storage").put("retain", "Some")), "Unsupported value: \"Some\""),
                arguments("over-long stage name", edit(c -> stage(c, 2).put("name", "s".repeat(21))), "spec.stages[2].name"),
                arguments("stage name not a DNS label", edit(c -> stage(c, 2).put("name", "Student_1")), "spec.stages[2].name"),
                arguments("over-long chain name", edit(c -> Chains.withName(c, "c".repeat(37))), "metadata.name must be at most 36 characters"),
                arguments("no stages", edit(c -> c.with("spec").putArray("stages")), "spec.stages"),
                arguments("too many stages", edit(c -> {
                    ArrayNode stages = c.with("spec").putArray("stages");
                    for (int i = 0; i < 33; i++) {
                        stages.addObject().put("name", "s" + i).putObject("model").put("architecture", "plain-cnn").put("depth", 2);
                    }
                }), "spec.stages"),
                arguments("stage without model", edit(c -> stage(c, 1).remove("model")), "spec.stages[1].model"),
                // values Kubernetes would otherwise refuse only on the stage's Pod or volume
                arguments("cpu that is no quantity", edit(c -> resources(c).put("cpu", "4 cores")),
                        "spec.trainer.resources.cpu: Invalid value: \"4 cores\": cpu must be a Kubernetes quantity greater than 0"),
                arguments("zero memory", edit(c -> resources(c).put("memory", "0")),
                        "spec.trainer.resources.memory: Invalid value: \"0\": memory must be a Kubernetes quantity greater than 0"),
                arguments("volume size in GB", edit(c -> c.with("spec").putObject("storage").put("size", "2GB")),
                        "spec.storage.size: Invalid value: \"2GB\": size must be a Kubernetes quantity greater than 0, e.g. 2Gi"),
                arguments("node selector key with a space", edit(c -> trainer(c).putObject("nodeSelector").put("gpu type", "a100")),
                        "spec.trainer.nodeSelector: Invalid value: nodeSelector keys must be label keys"),
                arguments("node selector value with a space", edit(c -> trainer(c).putObject("nodeSelector").put("gpu", "a 100")),
                        "nodeSelector values must be label values"),
                arguments("toleration Exists with a value", edit(c -> trainer(c).putArray("tolerations").addObject()
                        .put("key", "nvidia.com/gpu").put("operator", "Exists").put("value", "present")),
                        "a toleration with operator Exists must not have a value"),
                arguments("toleration with an unknown operator", edit(c -> trainer(c).putArray("tolerations").addObject()
                        .put("key", "nvidia.com/gpu").put("operator", "Maybe")), "Unsupported value: \"Maybe\""),
                arguments("tolerationSeconds without NoExecute", edit(c -> trainer(c).putArray("tolerations").addObject()
                        .put("key", "gpu").put("operator", "Exists").put("effect", "NoSchedule").put("tolerationSeconds", 60)),
                        "tolerationSeconds applies only to effect NoExecute"),
                arguments("image reference with a space", edit(c -> trainer(c).put("image", "registry.example.com/trainer:0.1 beta")),
                        "spec.trainer.image: Invalid value: \"registry.example.com/trainer:0.1 beta\": image must be a container image reference"),
                arguments("PriorityClass name with capitals", edit(c -> trainer(c).put("priorityClassName", "Batch_Low")),
                        "priorityClassName must be the name of a PriorityClass"),
                arguments("negative disruptionLimit", edit(c -> c.with("spec").put("disruptionLimit", -1)), "spec.disruptionLimit"),
                arguments("missing stages", edit(c -> ((ObjectNode) c.get("spec")).remove("stages")), "spec.stages"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidChains")
    void rejectedByTheApiServer(String description, ObjectNode chain, String expectedMessage) {
        assertThatThrownBy(() -> Chains.api(client).inNamespace(ns.name()).resource(Chains.toResource(chain, ns.name())).create())
                .as(description)
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void theValidBaseIsAccepted() {
        ObjectNode chain = Chains.withName(Chains.resource("valid.yaml"), "accepted");
        Chains.api(client).inNamespace(ns.name()).resource(Chains.toResource(chain, ns.name())).create();
        assertThat(Chains.api(client).inNamespace(ns.name()).withName("accepted").get()).isNotNull();
        Chains.api(client).inNamespace(ns.name()).withName("accepted").delete();
    }

    @AfterAll
    void nothingWasCreated() {
        assertThat(client.pods().inNamespace(ns.name()).list().getItems()).isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).list().getItems()).isEmpty();
    }

    private static ObjectNode edit(Consumer<ObjectNode> change) {
        ObjectNode chain = Chains.withName(Chains.resource("valid.yaml"), "invalid");
        change.accept(chain);
        return chain;
    }

    private static ObjectNode stage(ObjectNode chain, int index) {
        return (ObjectNode) chain.get("spec").get("stages").get(index);
    }

    private static ObjectNode trainer(ObjectNode chain) {
        return chain.with("spec").with("trainer");
    }

    private static ObjectNode resources(ObjectNode chain) {
        return trainer(chain).with("resources");
    }

    private static ObjectNode model(ObjectNode chain, int index) {
        return (ObjectNode) stage(chain, index).get("model");
    }
}
