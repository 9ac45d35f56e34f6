package dev.distillation.operator.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.resources.StagePodBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which Pods the operator asks for progress: Pods made by the builder, as a kubelet moves them. */
class ProgressTargetsTest {

    static Pod pod(UnaryOperator<PodBuilder> edit) {
        DistillationChain chain = TestChains.paper();
        Pod built = StagePodBuilder.build(chain, "teacher", "sha256:f", new Attempt(1, 1, 0), OperatorSettings.Values.DEFAULTS);
        return edit.apply(new PodBuilder(built)).build();
    }

    static PodBuilder running(PodBuilder p, String ip) {
        return p.withNewStatus().withPhase("Running").withPodIP(ip).endStatus();
    }

    @Test
    void aRunningPodIsAskedAtItsIpOnTheDeclaredPort() {
        Pod pod = pod(p -> running(p, "10.1.2.3"));
        assertThat(ProgressTargets.of(List.of(pod))).singleElement().satisfies(t -> {
            assertThat(t.stage()).isEqualTo("teacher");
            assertThat(t.pod()).isEqualTo(pod.getMetadata().getName());
            assertThat(t.uri()).hasToString("http://10.1.2.3:8090/progress");
        });
    }

    @Test
    void anIpv6AddressIsBracketed() {
        assertThat(ProgressTargets.of(List.of(pod(p -> running(p, "fd00::1"))))).singleElement()
                .satisfies(t -> assertThat(t.uri()).hasToString("http://[fd00::1]:8090/progress"));
    }

    @Test
    void podsThatCannotAnswerAreNotAsked() {
        assertThat(ProgressTargets.of(List.of(
                pod(p -> p),                                                                 // no status yet
                pod(p -> p.withNewStatus().withPhase("Pending").withPodIP("10.1.2.3").endStatus()),
                pod(p -> p.withNewStatus().withPhase("Succeeded").withPodIP("10.1.2.3").endStatus()),
                pod(p -> running(p, null)),
                pod(p -> running(p, "10.1.2.3").editMetadata().withDeletionTimestamp("2026-01-01T10:00:00Z").endMetadata()),
                pod(p -> running(p, "10.1.2.3").editSpec().editFirstContainer().withPorts(List.of()).endContainer().endSpec()))))
                .isEmpty();
    }
}
