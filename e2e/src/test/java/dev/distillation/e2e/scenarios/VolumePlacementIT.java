package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With ReadWriteOnce checkpoint volumes (the default), the two students of one teacher mount the
 * teacher's volume at once: the operator starts the second on the node the scheduler chose for the
 * first, never on another node (where a real volume would fail to attach).
 */
@ClusterTest
class VolumePlacementIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    VolumePlacementIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeEach
    void start() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "volume-placement");
    }

    @AfterEach
    void stop() {
        operator.close();
    }

    @Test
    void studentsOfOneTeacherRunOnTheNodeThatHoldsItsVolume() {
        // The default access mode, and CPU stages: any node has room for both students (kwok-gpu-1 has one GPU).
        ObjectNode chain = Chains.resource("fan-out.yaml");
        ((ObjectNode) chain.get("spec").get("storage")).remove("accessModes");
        ((ObjectNode) chain.get("spec")).putObject("trainer").putObject("resources").put("gpu", 0);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, chain);
        driver.succeed("teacher", 0.91);
        Pod a = driver.awaitRunning("student-a");
        Pod b = driver.awaitRunning("student-b");

        assertThat(a.getSpec().getNodeName()).isNotNull();
        assertThat(b.getSpec().getNodeName()).as("both mount volume %s-teacher", driver.name()).isEqualTo(a.getSpec().getNodeName());
        // The first started where the scheduler chose; the second was required onto that node.
        assertThat(java.util.stream.Stream.of(a, b).filter(p -> p.getSpec().getAffinity() != null).toList()).singleElement()
                .satisfies(second -> assertThat(second.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues()).containsExactly(a.getSpec().getNodeName()));
    }

    @Test
    void aPodThatCannotAttachItsVolumeSaysSoInTheStageMessage() {
        // Three GPUs: no node has them, so the Pod stays Pending; a Warning event says its volume cannot attach.
        ObjectNode chain = Chains.withName(Chains.resource("fan-out.yaml"), "attach");
        ((ObjectNode) chain.get("spec")).putObject("trainer").putObject("resources").put("gpu", 3);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, chain);
        Pod teacher = driver.awaitPod("teacher", p -> true, "any");
        String multiAttach = "Multi-Attach error for volume \"pvc-9\" Volume is already used by pod(s) other-a1";
        cluster.admin().v1().events().inNamespace(ns.name()).resource(new EventBuilder()
                .withNewMetadata().withName(teacher.getMetadata().getName() + ".attach").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(teacher.getMetadata().getName()).withNamespace(ns.name())
                .withUid(teacher.getMetadata().getUid()).endInvolvedObject()
                .withType("Warning").withReason("FailedAttachVolume").withMessage(multiAttach)
                .withLastTimestamp(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .build()).create();

        // the Pod can exist before the status that names it is written: no row yet is "not yet", not an error
        await("the stage message").atMost(ChainDriver.TIMEOUT).untilAsserted(() ->
                assertThat(driver.stage("teacher").map(s -> s.getMessage()).orElse(null)).isEqualTo("FailedAttachVolume: " + multiAttach));
    }
}
