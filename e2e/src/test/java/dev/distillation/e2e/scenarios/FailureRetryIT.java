package dev.distillation.e2e.scenarios;

import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 5: trainer failures are retried up to backoffLimit, then the stage and chain fail and
 * the stage's students are skipped; Pods lost to eviction or deletion are recreated without
 * using up a retry.
 */
@ClusterTest
class FailureRetryIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    FailureRetryIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "failure-retry");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @Test
    void failedTrainerIsRetriedThenTheChainFailsAndStudentsAreSkipped() {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.withName(Chains.resource("retry.yaml"), "fails"));

        driver.succeed("student-alone", 0.81);

        Pod first = driver.fail("teacher", "CUDA out of memory");
        await().atMost(ChainDriver.TIMEOUT).until(() -> driver.pods("teacher").size() == 2);
        await("status counts one trainer failure").atMost(ChainDriver.TIMEOUT)
                .until(() -> driver.stage("teacher").map(StageStatus::getFailures).orElse(null), f -> f != null && f == 1);
        Pod second = driver.awaitRunning("teacher");
        assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName()).endsWith("-a2");

        driver.kubelet().fail(second, 1, "CUDA out of memory");
        driver.awaitChainPhase("Failed");
        StageStatus teacher = driver.stage("teacher").orElseThrow();
        assertThat(teacher.getPhase().name()).isEqualTo("Failed");
        assertThat(teacher.getFailures()).isEqualTo(2);
        assertThat(teacher.getMessage()).contains("CUDA out of memory");
        assertThat(driver.stage("student").orElseThrow().getPhase().name()).isEqualTo("Skipped");
        assertThat(driver.stage("student-alone").orElseThrow().getPhase().name()).isEqualTo("Succeeded");
        assertThat(driver.pods("teacher")).as("no third attempt beyond backoffLimit 1").hasSize(2);
        assertThat(driver.pods("student")).isEmpty();
        assertThat(driver.chain().getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Failed");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void evictedAndDeletedPodsAreRecreatedWithoutUsingARetry() {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.withName(Chains.resource("retry.yaml"), "disrupted"));

        Pod first = driver.awaitRunning("teacher");
        driver.kubelet().evict(first);
        await("a new teacher Pod after eviction").atMost(ChainDriver.TIMEOUT).until(() -> driver.pods("teacher").size() == 2);
        Pod second = driver.awaitRunning("teacher");

        cluster.admin().pods().inNamespace(ns.name()).withName(second.getMetadata().getName()).withGracePeriod(0).delete();
        // a deleted Pod leaves no trace in the cluster, so its replacement may reuse its name: tell them apart by UID
        String deletedUid = second.getMetadata().getUid();
        driver.awaitPod("teacher", p -> "Running".equals(ChainDriver.phase(p)) && !deletedUid.equals(p.getMetadata().getUid()),
                "replacement Running");
        await("status shows the replacement").atMost(ChainDriver.TIMEOUT)
                .until(() -> driver.stage("teacher").map(StageStatus::getAttempts).orElse(0) >= 2);
        assertThat(driver.stage("teacher").orElseThrow().getFailures()).as("disruptions are not trainer failures").isZero();

        driver.succeed("teacher", 0.9);
        driver.succeed("student", 0.85);
        driver.succeed("student-alone", 0.8);
        driver.awaitChainPhase("Succeeded");
        assertThat(driver.stage("teacher").orElseThrow().getAttempts()).isGreaterThanOrEqualTo(2);
        assertThat(driver.stage("teacher").orElseThrow().getFailures()).isZero();
    }
}
