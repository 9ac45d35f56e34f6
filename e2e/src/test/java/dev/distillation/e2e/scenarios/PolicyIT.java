package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorLog;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's policy, set as the chart sets it (environment variables): chains that ask for
 * another registry's image, another PriorityClass, tolerations or a node selector are Invalid with
 * the rule they broke, and nothing is created for them; a chain within the policy runs.
 */
@ClusterTest
class PolicyIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    PolicyIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "policy", Map.of(
                "DISTILLATION_POLICY_ALLOWED_IMAGE_PREFIXES", "registry.example.com/ml/,mirror.example.com/",
                "DISTILLATION_POLICY_ALLOWED_PRIORITY_CLASSES", "batch-low",
                "DISTILLATION_POLICY_ALLOW_TOLERATIONS", "false",
                "DISTILLATION_POLICY_ALLOW_NODE_SELECTOR", "false"));
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    static Stream<Arguments> outsideThePolicy() {
        return Stream.of(
                Arguments.of("another registry's image", "other-image",
                        (Consumer<ObjectNode>) c -> trainer(c).put("image", "docker.io/someone/trainer:1"),
                        "spec.trainer.image: 'docker.io/someone/trainer:1' is not allowed by the operator's policy: images must start "
                                + "with registry.example.com/ml/ or mirror.example.com/ (chart value policy.allowedImagePrefixes)"),
                Arguments.of("another PriorityClass", "other-priority",
                        (Consumer<ObjectNode>) c -> trainer(c).put("priorityClassName", "system-cluster-critical"),
                        "spec.trainer.priorityClassName: 'system-cluster-critical' is not allowed by the operator's policy: allowed "
                                + "PriorityClasses are batch-low (chart value policy.allowedPriorityClasses)"),
                Arguments.of("tolerations", "tolerating",
                        (Consumer<ObjectNode>) c -> trainer(c).putArray("tolerations").addObject().put("operator", "Exists"),
                        "spec.trainer.tolerations: the operator's policy does not let chains tolerate taints (chart value "
                                + "policy.allowTolerations is false); remove them"),
                Arguments.of("a node selector", "selecting",
                        (Consumer<ObjectNode>) c -> trainer(c).putObject("nodeSelector").put("kubernetes.io/hostname", "kwok-gpu-2"),
                        "spec.trainer.nodeSelector: the operator's policy does not let chains choose nodes (chart value "
                                + "policy.allowNodeSelector is false); remove it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outsideThePolicy")
    void aChainOutsideThePolicyIsInvalidWithTheRuleItBroke(String description, String name, Consumer<ObjectNode> edit, String message) {
        ObjectNode doc = Chains.withName(Chains.resource("retry.yaml"), name);
        edit.accept(doc);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        DistillationChain chain = driver.awaitChainPhase("Invalid");
        Condition valid = chain.getStatus().getConditions().stream().filter(c -> c.getType().equals("Valid")).findFirst().orElseThrow();
        assertThat(valid.getStatus()).isEqualTo("False");
        assertThat(valid.getReason()).isEqualTo("PolicyViolation");
        assertThat(valid.getMessage()).isEqualTo(message);
        await("a PolicyViolation event").atMost(ChainDriver.TIMEOUT).until(() -> cluster.admin().v1().events().inNamespace(ns.name())
                .list().getItems().stream().anyMatch(e -> name.equals(e.getInvolvedObject().getName())
                        && "PolicyViolation".equals(e.getReason()) && e.getMessage().contains(message)));
        assertThat(driver.pods()).isEmpty();
        assertThat(cluster.admin().persistentVolumeClaims().inNamespace(ns.name()).withLabel(ChainDriver.CHAIN_LABEL, name).list().getItems())
                .isEmpty();
        assertThat(OperatorLog.reconcileErrors(operator.log(), ns.name(), name)).isZero();
    }

    @Test
    void aChainWithinThePolicyRunsOnItsImage() {
        ObjectNode doc = Chains.withName(Chains.resource("retry.yaml"), "allowed");
        trainer(doc).put("image", "registry.example.com/ml/trainer:2").put("priorityClassName", "batch-low");
        cluster.admin().scheduling().v1().priorityClasses().resource(new PriorityClassBuilder()
                .withNewMetadata().withName("batch-low").endMetadata().withValue(1).build()).createOr(existing -> existing.update());
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        assertThat(driver.awaitRunning("teacher").getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example.com/ml/trainer:2");
        await("Valid=True").atMost(ChainDriver.TIMEOUT).untilAsserted(() -> assertThat(driver.chain().getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Valid");
                    assertThat(c.getStatus()).isEqualTo("True");
                }));
    }

    private static ObjectNode trainer(ObjectNode chain) {
        return chain.with("spec").with("trainer");
    }
}
