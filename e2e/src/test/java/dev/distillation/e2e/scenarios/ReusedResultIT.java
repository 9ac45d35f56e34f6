package dev.distillation.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chain deleted and created again with the same name and spec finds the volumes the first one kept
 * (storage.retain). Their recorded results do not make its stages Succeeded by themselves: each such
 * stage runs a Pod whose trainer checks the volume; when the trainer reports the kept result, the
 * stage says it was reused and from when; when the volume changed and the trainer trained again, it
 * is an ordinary result.
 */
@ClusterTest
class ReusedResultIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    ReusedResultIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "reuse");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @Test
    void aRecreatedChainChecksTheKeptVolumesAndSaysWhatItReused() {
        ObjectNode doc = Chains.withName(Chains.resource("fan-out.yaml"), "reuse");
        ((ObjectNode) doc.get("spec").get("storage")).put("retain", "All");
        ChainDriver first = ChainDriver.apply(cluster.admin(), ns, doc);
        first.succeed("teacher", 0.9);
        first.succeed("student-a", 0.85);
        first.succeed("student-b", 0.84);
        first.awaitChainPhase("Succeeded");
        String teacherCompleted = first.stage("teacher").map(StageStatus::getCompletionTime).orElseThrow();
        Chains.api(cluster.admin()).inNamespace(ns.name()).withName(first.name()).delete();
        await("the first chain's Pods collected").atMost(ChainDriver.TIMEOUT).until(() -> first.pods().isEmpty()
                && Chains.api(cluster.admin()).inNamespace(ns.name()).withName(first.name()).get() == null);

        ChainDriver second = ChainDriver.apply(cluster.admin(), ns, doc);
        second.awaitRunning("teacher");
        assertThat(second.stage("teacher").orElseThrow().getMessage())
                .contains("holds this stage's result from an earlier chain of this name (completed " + teacherCompleted + ")");
        assertThat(second.chain().getStatus().getPhase().name()).as("not Succeeded from the annotations alone").isEqualTo("Running");

        // the teacher's trainer found its folder intact: it reports exactly the kept result
        second.succeed("teacher", 0.9);
        // student-a's folder changed: its trainer trained again and reports a new result
        second.succeed("student-a", 0.86);
        second.succeed("student-b", 0.84);
        second.awaitChainPhase("Succeeded");

        StageStatus teacher = second.stage("teacher").orElseThrow();
        assertThat(teacher.getReusedFrom()).isEqualTo(teacherCompleted);
        assertThat(teacher.getMessage()).startsWith("reused the result an earlier chain of this name completed at " + teacherCompleted);
        assertThat(second.stage("student-b").orElseThrow().getReusedFrom()).isNotNull();
        StageStatus studentA = second.stage("student-a").orElseThrow();
        assertThat(studentA.getReusedFrom()).isNull();
        assertThat(studentA.getMetrics().getTestAccuracy()).isEqualTo(0.86);
        assertThat(second.pods()).extracting(p -> p.getMetadata().getName())
                .contains("reuse-teacher-a1", "reuse-student-a-a1", "reuse-student-b-a1");
    }
}
