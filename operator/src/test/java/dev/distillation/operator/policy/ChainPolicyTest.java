package dev.distillation.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.TolerationOperator;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.TestChains;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per rule of the policy: the chain, the policy, and the one error expected (or none). */
class ChainPolicyTest {

    static final ChainPolicy STRICT = new ChainPolicy(List.of("registry.example.com/ml/", "mirror.example.com/"),
            List.of("batch-low", "batch-high"), false, false);

    /** The paper's chain without scheduling settings: within any policy. */
    static DistillationChain chain(Consumer<DistillationChain> edit) {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().getTrainer().setImage(null);
        chain.getSpec().getTrainer().setNodeSelector(Map.of());
        chain.getSpec().getTrainer().setTolerations(List.of());
        chain.getSpec().getTrainer().setPriorityClassName(null);
        edit.accept(chain);
        return chain;
    }

    static Arguments row(String name, ChainPolicy policy, Consumer<DistillationChain> edit, String error) {
        return Arguments.of(Named.of(name, edit), policy, error);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                row("no settings: the operator's own images", STRICT, c -> {}, null),
                row("image under an allowed prefix", STRICT, c -> c.getSpec().getTrainer().setImage("registry.example.com/ml/trainer:2"), null),
                row("image from another registry", STRICT, c -> c.getSpec().getTrainer().setImage("docker.io/someone/miner:latest"),
                        "spec.trainer.image: 'docker.io/someone/miner:latest' is not allowed by the operator's policy: images must start with "
                                + "registry.example.com/ml/ or mirror.example.com/ (chart value policy.allowedImagePrefixes)"),
                row("a prefix is a prefix of the whole reference", STRICT,
                        c -> c.getSpec().getTrainer().setImage("registry.example.com/ml-other/trainer"),
                        "spec.trainer.image: 'registry.example.com/ml-other/trainer' is not allowed"),
                row("any image without prefixes", ChainPolicy.OPEN, c -> c.getSpec().getTrainer().setImage("docker.io/someone/miner"), null),
                row("allowed PriorityClass", STRICT, c -> c.getSpec().getTrainer().setPriorityClassName("batch-high"), null),
                row("other PriorityClass", STRICT, c -> c.getSpec().getTrainer().setPriorityClassName("system-cluster-critical"),
                        "spec.trainer.priorityClassName: 'system-cluster-critical' is not allowed by the operator's policy: allowed "
                                + "PriorityClasses are batch-low, batch-high (chart value policy.allowedPriorityClasses)"),
                row("tolerations forbidden", STRICT, c -> c.getSpec().getTrainer().setTolerations(List.of(exists())),
                        "spec.trainer.tolerations: the operator's policy does not let chains tolerate taints (chart value "
                                + "policy.allowTolerations is false); remove them"),
                row("tolerations allowed", ChainPolicy.OPEN, c -> c.getSpec().getTrainer().setTolerations(List.of(exists())), null),
                row("node selector forbidden", STRICT, c -> c.getSpec().getTrainer().setNodeSelector(Map.of("gpu", "a100")),
                        "spec.trainer.nodeSelector: the operator's policy does not let chains choose nodes (chart value "
                                + "policy.allowNodeSelector is false); remove it"),
                row("empty lists are no request", STRICT, c -> {
                    c.getSpec().getTrainer().setNodeSelector(Map.of());
                    c.getSpec().getTrainer().setTolerations(List.of());
                }, null),
                row("no trainer section", STRICT, c -> c.getSpec().setTrainer(null), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void checks(Consumer<DistillationChain> edit, ChainPolicy policy, String error) {
        List<ValidationError> errors = policy.check(chain(edit));

        if (error == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).singleElement().satisfies(e -> assertThat(e.toString()).startsWith(error));
        }
    }

    @Test
    void everyBrokenRuleIsReportedInFieldOrder() {
        DistillationChain c = TestChains.paper();
        c.getSpec().getTrainer().setImage("docker.io/x");
        c.getSpec().getTrainer().setPriorityClassName("other");
        c.getSpec().getTrainer().setNodeSelector(Map.of("gpu", "a100"));
        c.getSpec().getTrainer().setTolerations(List.of(exists()));

        assertThat(STRICT.check(c)).extracting(ValidationError::path).containsExactly(
                "spec.trainer.image", "spec.trainer.nodeSelector", "spec.trainer.tolerations", "spec.trainer.priorityClassName");
    }

    static TolerationSpec exists() {
        TolerationSpec t = new TolerationSpec();
        t.setOperator(TolerationOperator.EXISTS);
        return t;
    }
}
