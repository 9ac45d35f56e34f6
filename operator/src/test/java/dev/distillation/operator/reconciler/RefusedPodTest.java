package dev.distillation.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.Kubelet;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The API server refuses a stage's Pod (as a ResourceQuota does): the stage says so, a Warning
 * event says so once, nothing is left half-created, and the stage is tried again after its wait
 * instead of in a loop, and created once the refusal is gone. A class of its own: the refusal is
 * an expectation on every Pod create in the namespace.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class RefusedPodTest {

    static final String NS = DistillationChainReconcilerTest.NS;
    static final String QUOTA = "pods \"refused-teacher-a1\" is forbidden: exceeded quota: small, requested: limits.memory=4Gi, "
            + "used: limits.memory=0, limited: limits.memory=1Gi";

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    KubernetesClient client;

    @Test
    void aRefusedPodIsToldAndTriedAgainLaterNotInALoop() {
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/pods")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(QUOTA).build()).times(2);
        DistillationChain chain = DistillationChainReconcilerTest.small("refused", 0);
        chain.getMetadata().setNamespace(NS);
        client.resource(chain).create();
        Kubelet kubelet = new Kubelet(client, NS);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StageStatus teacher = stage("teacher");
            assertThat(teacher.getPhase()).isEqualTo(StagePhase.Waiting);
            assertThat(teacher.getMessage()).startsWith("spec.trainer.resources.memory: Kubernetes refused pod refused-teacher-a1 "
                    + "(Forbidden): " + QUOTA + "; next try at ");
        });
        assertThat(kubelet.pods("refused")).isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("refused-teacher").get())
                .as("the volume is created after the Pod, so nothing is half-created").isNull();
        assertThat(events()).filteredOn(e -> e.getReason().equals("RefusedByKubernetes")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("exceeded quota"));

        // The second try, 10 s later, is refused too; the third, 20 s after that, goes through.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(kubelet.pods("refused")).extracting(p -> p.getMetadata().getName()).containsExactly("refused-teacher-a1");
            assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("refused-teacher").get()).isNotNull();
            assertThat(stage("teacher").getPhase()).isEqualTo(StagePhase.Pending);
            assertThat(stage("teacher").getMessage()).isNull();
        });
        assertThat(events()).filteredOn(e -> e.getReason().equals("RefusedByKubernetes")).as("one event per refused Pod name").hasSize(1);
    }

    StageStatus stage(String name) {
        DistillationChain c = client.resources(DistillationChain.class).inNamespace(NS).withName("refused").get();
        return c.getStatus() == null || c.getStatus().getStages() == null ? new StageStatus()
                : c.getStatus().getStages().stream().filter(s -> s.getName().equals(name)).findFirst().orElse(new StageStatus());
    }

    java.util.List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "refused".equals(e.getInvolvedObject().getName())).toList();
    }
}
