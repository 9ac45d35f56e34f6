package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 8: deleting a chain lets the cluster's garbage collector remove its Pods, and its
 * checkpoint volumes according to {@code storage.retain}.
 */
@ClusterTest
class DeletionIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    DeletionIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "deletion");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @ParameterizedTest(name = "retain {0}")
    @CsvSource({
            "All,   teacher student-a student-b",
            "Final, student-a student-b",
            "None,  ''"})
    void podsAreCollectedAndVolumesKeptPerRetain(String retain, String keptStages) {
        ObjectNode doc = Chains.withName(Chains.resource("fan-out.yaml"), "gc-" + retain.toLowerCase());
        ((ObjectNode) doc.get("spec").get("storage")).put("retain", retain);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);
        driver.succeed("teacher", 0.9);
        driver.succeed("student-a", 0.85);
        driver.succeed("student-b", 0.84);
        driver.awaitChainPhase("Succeeded");
        assertThat(pvcStages(driver)).containsExactlyInAnyOrder("teacher", "student-a", "student-b");

        Chains.api(cluster.admin()).inNamespace(ns.name()).withName(driver.name()).delete();

        Set<String> expected = keptStages.isBlank() ? Set.of() : Set.of(keptStages.trim().split("\\s+"));
        await("Pods garbage-collected").atMost(ChainDriver.TIMEOUT).until(() -> driver.pods().isEmpty());
        await("volumes kept: " + expected).atMost(ChainDriver.TIMEOUT).until(() -> pvcStages(driver).equals(expected));
    }

    private Set<String> pvcStages(ChainDriver driver) {
        return cluster.admin().persistentVolumeClaims().inNamespace(ns.name()).withLabel(ChainDriver.CHAIN_LABEL, driver.name())
                .list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(PersistentVolumeClaim::getMetadata).map(m -> m.getLabels().get(ChainDriver.STAGE_LABEL))
                .collect(Collectors.toSet());
    }
}
