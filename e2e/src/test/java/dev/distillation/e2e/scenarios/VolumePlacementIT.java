package dev.distillation.e2e.scenarios;

import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, Chains.resource("fan-out.yaml"));
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
}
