package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import dev.distillation.api.v1alpha1.StageStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The paper's examples, as users apply them: CIFAR-10 on a volume the user provides. Every stage
 * Pod mounts that volume read-only at /data, and the chain runs to Succeeded. And the chain with a
 * user's TorchScript teacher: its Pod mounts the file's volume read-only at /model, and every stage
 * that succeeded reports where its export for serving is.
 */
@ClusterTest
class ExamplesIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    ExamplesIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void setUp() {
        cluster.admin().persistentVolumeClaims().inNamespace(ns.name()).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("cifar10").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        cluster.admin().persistentVolumeClaims().inNamespace(ns.name()).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("models").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "examples");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cifar10-plain-cnn.yaml", "multi-step.yaml"})
    void exampleRunsToSucceededWithTheDatasetVolumeReadOnly(String file) {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.example(cluster, file));
        int stages = driver.chain().getSpec().getStages().size();
        for (int done = 0; done < stages; done++) {
            Pod pod = await("a Running Pod of " + file).atMost(ChainDriver.TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> driver.pods().stream().filter(p -> "Running".equals(ChainDriver.phase(p))).findFirst(),
                            Optional::isPresent).orElseThrow();
            var data = pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
                    .filter(m -> m.getMountPath().equals("/data")).findFirst().orElseThrow();
            assertThat(data.getReadOnly()).isTrue();
            Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(data.getName())).findFirst().orElseThrow();
            assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("cifar10");
            assertThat(volume.getPersistentVolumeClaim().getReadOnly()).isTrue();
            driver.kubelet().succeed(pod, ChainDriver.metricsJson(0.70 + 0.01 * done));
        }
        driver.awaitChainPhase("Succeeded");
        assertThat(driver.pods()).hasSize(stages);
    }

    @Test
    void aTorchScriptTeacherGetsItsFileReadOnlyAndEveryStageReportsItsExport() {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.example(cluster, "torchscript-teacher.yaml"));
        Pod teacher = driver.awaitRunning("teacher");
        var model = teacher.getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/model")).findFirst().orElseThrow();
        assertThat(model.getReadOnly()).isTrue();
        Volume volume = teacher.getSpec().getVolumes().stream().filter(v -> v.getName().equals(model.getName())).findFirst().orElseThrow();
        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
        String job = teacher.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("DISTILL_STAGE_JOB"))
                .findFirst().orElseThrow().getValue();
        assertThat(job).contains("\"torchscript\":\"/model/nets/teacher.pt\"", "\"classes\":10");

        driver.kubelet().succeed(teacher, ChainDriver.metricsJson(0.90));
        driver.succeed("assistant", 0.88);
        driver.succeed("student", 0.86);
        driver.awaitChainPhase("Succeeded");
        for (String stage : List.of("teacher", "assistant", "student")) {
            StageStatus status = driver.stage(stage).orElseThrow();
            assertThat(status.getExport().getClaimName()).as(stage).isEqualTo(driver.name() + "-" + stage);
            assertThat(status.getExport().getPath()).as(stage).isEqualTo("/export");
        }
    }
}
