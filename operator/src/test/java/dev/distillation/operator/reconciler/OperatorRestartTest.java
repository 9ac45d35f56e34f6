package dev.distillation.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.Kubelet;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.events.ChainEvents;
import dev.distillation.operator.metrics.OperatorMetrics;
import dev.distillation.operator.refusal.RefusalMemory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An operator restart loses nothing: a fresh operator (new reconciler, empty caches) over the Pods
 * and volumes of a running chain creates no duplicate Pod, keeps every result (even of a stage
 * whose Pod was deleted meanwhile), picks up what finished while it was down, and carries on.
 * Runs its own operators in a namespace the Quarkus-managed operator does not watch.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class OperatorRestartTest {

    static final String NS = "restart";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;
    @Inject
    PlanApplier applier;
    @Inject
    ChainEvents events;
    @Inject
    OperatorSettings settings;
    @Inject
    RefusalMemory refusals;

    Operator start() {
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false));
        DistillationChainReconciler reconciler = new DistillationChainReconciler();
        reconciler.applier = applier;
        reconciler.events = events;
        reconciler.settings = settings;
        reconciler.refusals = refusals;
        reconciler.metrics = new OperatorMetrics(new SimpleMeterRegistry());
        operator.register(reconciler, c -> c.settingNamespaces(NS));
        operator.start();
        return operator;
    }

    StageStatus stage(String chain, String stage) {
        DistillationChain c = client.resources(DistillationChain.class).inNamespace(NS).withName(chain).get();
        return c.getStatus() == null ? null : c.getStatus().getStages().stream().filter(s -> s.getName().equals(stage)).findFirst().orElse(null);
    }

    @Test
    void freshOperatorCreatesNoDuplicatesAndLosesNoResult() {
        Kubelet kubelet = new Kubelet(client, NS);
        DistillationChain chain = TestChains.paper();
        String name = chain.getMetadata().getName();
        chain.getMetadata().setNamespace(NS);
        chain.getMetadata().setUid(null);
        chain.getMetadata().setGeneration(null);
        client.resource(chain).create();

        Operator first = start();
        try {
            await().atMost(TIMEOUT).until(() -> kubelet.pod(name + "-teacher-a1").isPresent());
            kubelet.run(name + "-teacher-a1");   // scheduled: the second root, which mounts the same dataset claim, follows it
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder(name + "-teacher-a1", name + "-student-alone-a1"));
            kubelet.succeed(name + "-teacher-a1", 0.912);
            kubelet.run(name + "-student-alone-a1");
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(stage(name, "teacher").getPhase()).isEqualTo(StagePhase.Succeeded);
                assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName()).contains(name + "-assistant-a1");
            });
        } finally {
            first.stop();
        }

        // While no operator runs: one stage finishes, another starts running, and the teacher's Pod is deleted.
        kubelet.succeed(name + "-student-alone-a1", 0.82);
        kubelet.run(name + "-assistant-a1");
        client.pods().inNamespace(NS).withName(name + "-teacher-a1").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isEmpty());

        Operator second = start();
        try {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(stage(name, "student-alone").getPhase()).isEqualTo(StagePhase.Succeeded);
                assertThat(stage(name, "student-alone").getMetrics().getTestAccuracy()).isEqualTo(0.82);
                assertThat(stage(name, "teacher").getPhase()).isEqualTo(StagePhase.Succeeded);
                assertThat(stage(name, "teacher").getMetrics().getTestAccuracy()).isEqualTo(0.912);
                assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName())
                        .containsExactlyInAnyOrder(name + "-student-alone-a1", name + "-assistant-a1", name + "-student-direct-a1");
            });
            // It carries on from where the first left off.
            for (Pod p : kubelet.pods(name)) {
                if (Kubelet.unfinished(p)) {
                    kubelet.succeed(p.getMetadata().getName(), 0.85);
                }
            }
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-student-a1")).isPresent());
            // A duplicate would be made by a reconcile that saw these Pods; an edit of the spec forces one, and
            // its status (observedGeneration) says when it is done. Then every stage has exactly its first Pod.
            // (A merge patch carries no resourceVersion, so it cannot conflict with the operator's status patches.)
            long generation = client.resources(DistillationChain.class).inNamespace(NS).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"parallelism\":3}}").getMetadata().getGeneration();
            await().atMost(TIMEOUT).untilAsserted(() -> {
                DistillationChain c = client.resources(DistillationChain.class).inNamespace(NS).withName(name).get();
                assertThat(c.getStatus().getObservedGeneration()).isEqualTo(generation);
                assertThat(c.getStatus().getProgress()).isEqualTo("4/5");
                assertThat(stage(name, "student").getPod()).isEqualTo(name + "-student-a1");
            });
            assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder(
                    name + "-student-alone-a1", name + "-assistant-a1", name + "-student-direct-a1", name + "-student-a1");
        } finally {
            second.stop();
        }
    }
}
