package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 3 (and 9): examples/quickstart.yaml on a real control plane, the operator running as
 * in production (server-side apply on). Stages run in dependency order, every Pod is built as
 * promised, and the chain ends Succeeded with metrics, summary and printer columns.
 */
@ClusterTest
class QuickstartIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    QuickstartIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "quickstart");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @Test
    void quickstartChainRunsInDependencyOrderAndSucceeds() {
        ObjectNode doc = Chains.example(cluster, "quickstart.yaml");
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);
        DistillationChain spec = driver.chain();
        int gpus = spec.getSpec().getTrainer() == null || spec.getSpec().getTrainer().getResources() == null
                ? 1 : spec.getSpec().getTrainer().getResources().effectiveGpu();

        Map<String, Instant> finished = new HashMap<>();
        Map<String, Double> accuracy = new HashMap<>();
        int remaining = spec.getSpec().getStages().size();
        double acc = 0.90;
        while (remaining > 0) {
            Pod pod = await("a running stage Pod").atMost(ChainDriver.TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> driver.pods().stream()
                            .filter(p -> "Running".equals(ChainDriver.phase(p)))
                            .findFirst(), java.util.Optional::isPresent).orElseThrow();
            String stage = pod.getMetadata().getLabels().get(ChainDriver.STAGE_LABEL);
            StageSpec stageSpec = spec.getSpec().getStages().stream().filter(s -> s.getName().equals(stage)).findFirst().orElseThrow();

            assertPodShape(driver, pod, stageSpec, gpus);
            if (stageSpec.getTeacher() != null) {
                assertThat(finished).as("teacher of %s finished before its Pod was created", stage).containsKey(stageSpec.getTeacher());
                assertThat(Instant.parse(pod.getMetadata().getCreationTimestamp()))
                        .isAfterOrEqualTo(finished.get(stageSpec.getTeacher()).minusSeconds(1));
            }
            driver.kubelet().succeed(pod, ChainDriver.metricsJson(acc));
            finished.put(stage, Instant.now());
            accuracy.put(stage, acc);
            acc -= 0.02;
            driver.awaitStagePhase(stage, "Succeeded");
            remaining--;
        }

        DistillationChain done = driver.awaitChainPhase("Succeeded");
        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
        assertThat(done.getStatus().getProgress()).isEqualTo(spec.getSpec().getStages().size() + "/" + spec.getSpec().getStages().size());
        for (StageStatus s : done.getStatus().getStages()) {
            assertThat(s.getPhase()).isEqualTo(StagePhase.Succeeded);
            assertThat(s.getMetrics().getTestAccuracy()).isCloseTo(accuracy.get(s.getName()), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(s.getAttempts()).isEqualTo(1);
            assertThat(s.getFingerprint()).startsWith("sha256:");
        }
        assertThat(done.getStatus().getSummary()).isNotBlank().contains("%");
        assertThat(done.getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getReason()).matches("[A-Z][A-Za-z]+");
                });
        assertThat(driver.pods()).hasSize(spec.getSpec().getStages().size());

        // printer columns, as kubectl shows them
        String table = cluster.kubectl("get", "dchain", driver.name(), "-n", ns.name());
        assertThat(table).contains("PHASE", "STAGE", "DONE", "BEST", "AGE").contains("Succeeded")
                .contains(spec.getSpec().getStages().size() + "/" + spec.getSpec().getStages().size());

        // scenario 9: status was written with server-side apply against the real server
        assertThat(done.getMetadata().getManagedFields())
                .anySatisfy(f -> {
                    assertThat(f.getOperation()).isEqualTo("Apply");
                    assertThat(f.getSubresource()).isEqualTo("status");
                });
        assertThat(done.getMetadata().getManagedFields().stream().filter(f -> f.getSubresource() == null).toList())
                .as("only the test's create wrote the spec; the operator never does")
                .singleElement().satisfies(f -> assertThat(f.getOperation()).isEqualTo("Update"));
        assertThat(operator.status("/q/health/live")).isEqualTo(200);
    }

    private void assertPodShape(ChainDriver driver, Pod pod, StageSpec stage, int gpus) {
        String chain = driver.name();
        assertThat(pod.getMetadata().getName()).startsWith(chain + "-" + stage.getName() + "-a");
        assertThat(pod.getMetadata().getLabels()).containsEntry(ChainDriver.CHAIN_LABEL, chain)
                .containsEntry(ChainDriver.STAGE_LABEL, stage.getName())
                .containsEntry("app.kubernetes.io/managed-by", "distillation-operator");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("DistillationChain");
            assertThat(o.getName()).isEqualTo(chain);
            assertThat(o.getController()).isTrue();
        });
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        Container c = pod.getSpec().getContainers().get(0);
        if (gpus > 0) {
            assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
        }
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("DISTILL_STAGE_JOB"));
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        boolean nonRoot = Boolean.TRUE.equals(c.getSecurityContext().getRunAsNonRoot())
                || (pod.getSpec().getSecurityContext() != null && Boolean.TRUE.equals(pod.getSpec().getSecurityContext().getRunAsNonRoot()));
        assertThat(nonRoot).as("runAsNonRoot").isTrue();
        String seccomp = c.getSecurityContext().getSeccompProfile() != null ? c.getSecurityContext().getSeccompProfile().getType()
                : pod.getSpec().getSecurityContext().getSeccompProfile().getType();
        assertThat(seccomp).isEqualTo("RuntimeDefault");

        Map<String, VolumeMount> mounts = new HashMap<>();
        c.getVolumeMounts().forEach(m -> mounts.put(m.getMountPath(), m));
        Map<String, Volume> volumes = new HashMap<>();
        pod.getSpec().getVolumes().forEach(v -> volumes.put(v.getName(), v));
        VolumeMount output = mounts.get("/output");
        assertThat(output).isNotNull();
        assertThat(output.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(volumes.get(output.getName()).getPersistentVolumeClaim().getClaimName()).isEqualTo(chain + "-" + stage.getName());
        if (stage.getTeacher() != null) {
            VolumeMount teacher = mounts.get("/teacher");
            assertThat(teacher).as("teacher mount of %s", stage.getName()).isNotNull();
            assertThat(teacher.getReadOnly()).isTrue();
            assertThat(volumes.get(teacher.getName()).getPersistentVolumeClaim().getClaimName()).isEqualTo(chain + "-" + stage.getTeacher());
        } else {
            assertThat(mounts).doesNotContainKey("/teacher");
        }
    }
}
