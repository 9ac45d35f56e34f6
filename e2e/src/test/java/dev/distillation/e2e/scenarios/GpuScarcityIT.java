package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 4: more GPU demand than the cluster has. Pods beyond capacity stay Pending, the stage
 * message carries the scheduler's reason, and they run once GPUs free up.
 */
@ClusterTest
class GpuScarcityIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    GpuScarcityIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "gpu-scarcity");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @Test
    void podsBeyondGpuCapacityWaitWithTheSchedulersReasonThenRun() {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.resource("scarce.yaml"));

        // parallelism 3: three Pods exist, one runs (the only node with 2 GPUs), two are unschedulable
        await("three stage Pods, one Running, two Pending").atMost(ChainDriver.TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<Pod> pods = driver.pods();
                    return pods.size() == 3
                            && pods.stream().filter(p -> "Running".equals(ChainDriver.phase(p))).count() == 1
                            && pods.stream().filter(p -> "Pending".equals(ChainDriver.phase(p))).count() == 2;
                });
        List<String> pending = driver.pods().stream().filter(p -> "Pending".equals(ChainDriver.phase(p)))
                .map(p -> p.getMetadata().getLabels().get(ChainDriver.STAGE_LABEL)).toList();
        for (String stage : pending) {
            driver.awaitStagePhase(stage, "Pending");
            await("scheduler's reason on stage " + stage).atMost(ChainDriver.TIMEOUT)
                    .until(() -> driver.stage(stage).map(s -> s.getMessage() != null
                            && s.getMessage().contains("nvidia.com/gpu")).orElse(false));
        }
        assertThat(driver.stage("d").orElseThrow().getPhase().name()).as("the fourth stage waits for parallelism").isEqualTo("Waiting");

        // as GPUs free up, every stage gets its turn
        for (int finished = 0; finished < 4; finished++) {
            Pod running = await("a Running Pod").atMost(ChainDriver.TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> driver.pods().stream().filter(p -> "Running".equals(ChainDriver.phase(p))).findFirst(),
                            java.util.Optional::isPresent).orElseThrow();
            assertThat(driver.pods().stream().filter(p -> "Running".equals(ChainDriver.phase(p))).count())
                    .as("never more than one 2-GPU Pod runs").isEqualTo(1);
            driver.kubelet().succeed(running, ChainDriver.metricsJson(0.8));
        }
        driver.awaitChainPhase("Succeeded");
        assertThat(driver.pods()).hasSize(4);
    }
}
