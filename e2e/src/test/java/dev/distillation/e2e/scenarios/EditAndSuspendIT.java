package dev.distillation.e2e.scenarios;

import dev.distillation.api.v1alpha1.DistillationChain;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 7: editing a finished chain re-runs only the stages whose fingerprint changed;
 * {@code suspend: true} starts nothing new and {@code false} continues.
 */
@ClusterTest
class EditAndSuspendIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    EditAndSuspendIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "edit-suspend");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @Test
    void editingTheStudentsEpochsRerunsOnlyTheStudent() {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.withName(Chains.resource("fan-out.yaml"), "edited"));
        driver.succeed("teacher", 0.9);
        driver.succeed("student-a", 0.85);
        driver.succeed("student-b", 0.84);
        driver.awaitChainPhase("Succeeded");
        String before = driver.stage("student-a").orElseThrow().getFingerprint();

        // a JSON patch of the spec alone, as kubectl patch would send: no resourceVersion, so the
        // operator's concurrent status writes cannot make it conflict
        patch(driver, "[{\"op\":\"add\",\"path\":\"/spec/stages/1/training\",\"value\":{\"epochs\":5}}]");
        await("a second student-a Pod").atMost(ChainDriver.TIMEOUT).until(() -> driver.pods("student-a").size() == 2);
        driver.succeed("student-a", 0.86);
        DistillationChain done = await("chain Succeeded for the new generation").atMost(ChainDriver.TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).until(driver::chain,
                        c -> c.getStatus().getObservedGeneration().equals(c.getMetadata().getGeneration())
                                && "Succeeded".equals(c.getStatus().getPhase().name()));
        assertThat(done.getStatus().getStages().get(1).getFingerprint()).isNotEqualTo(before);
        assertThat(done.getStatus().getStages().get(1).getMetrics().getTestAccuracy()).isEqualTo(0.86);
        assertThat(driver.pods("teacher")).as("the teacher did not re-run").hasSize(1);
        assertThat(driver.pods("student-b")).as("the sibling did not re-run").hasSize(1);
    }

    @Test
    void suspendStopsNewStagesAndResumeContinues() {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.withName(Chains.resource("fan-out.yaml"), "paused"));
        driver.awaitRunning("teacher");
        patch(driver, "[{\"op\":\"add\",\"path\":\"/spec/suspend\",\"value\":true}]");
        driver.awaitChainPhase("Suspended");
        driver.succeed("teacher", 0.9);
        driver.awaitStagePhase("teacher", "Succeeded");
        // while suspended, the students stay Waiting and get no Pods; the status saying so is
        // written after the teacher's result was observed, so reading it now is not a race
        assertThat(driver.chain().getStatus().getPhase().name()).isEqualTo("Suspended");
        assertThat(driver.pods("student-a")).isEmpty();
        assertThat(driver.pods("student-b")).isEmpty();

        patch(driver, "[{\"op\":\"add\",\"path\":\"/spec/suspend\",\"value\":false}]");
        driver.succeed("student-a", 0.85);
        driver.succeed("student-b", 0.84);
        driver.awaitChainPhase("Succeeded");
    }

    private void patch(ChainDriver driver, String jsonPatch) {
        driver.chains().inNamespace(ns.name()).withName(driver.name())
                .patch(PatchContext.of(PatchType.JSON), jsonPatch);
    }
}
