package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6: the operator is killed mid-chain, a stage finishes while it is down, and a new
 * operator process picks up from what the cluster holds: no duplicate Pod, no lost result.
 */
@ClusterTest
class OperatorRestartIT {

    private final TestCluster cluster;
    private final TestNamespace ns;

    OperatorRestartIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @Test
    void restartMidChainCreatesNoDuplicateAndLosesNoResult() {
        ChainDriver driver;
        try (OperatorProcess first = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "restart-1")) {
            driver = ChainDriver.apply(cluster.admin(), ns, Chains.resource("fan-out.yaml"));
            driver.succeed("teacher", 0.91);
            driver.awaitRunning("student-a");
            driver.awaitRunning("student-b");
            first.kill();
        }
        // while no operator runs, one student finishes
        Pod a = driver.pods("student-a").get(0);
        driver.kubelet().succeed(a, ChainDriver.metricsJson(0.84));

        try (OperatorProcess second = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "restart-2")) {
            driver.awaitStagePhase("student-a", "Succeeded");
            assertThat(driver.stage("student-a").orElseThrow().getMetrics().getTestAccuracy()).isEqualTo(0.84);
            assertThat(driver.stage("teacher").orElseThrow().getMetrics().getTestAccuracy()).isEqualTo(0.91);
            assertThat(driver.pods("student-b")).as("no duplicate Pod for the running stage").hasSize(1);
            assertThat(driver.pods("teacher")).hasSize(1);

            driver.succeed("student-b", 0.83);
            driver.awaitChainPhase("Succeeded");
            assertThat(driver.pods()).hasSize(3);
        }
    }
}
