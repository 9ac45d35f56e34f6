package dev.distillation.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.CandidateStatus;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stage that lists candidates, on a real API server: every candidate runs as a Pod of its own, the stage
 * chooses the best validation accuracy once all ended, its student mounts the chosen candidate's volume; adding a
 * temperature runs only the new candidate, and the student trains again when the choice moves to it.
 */
@ClusterTest
class CandidatesIT {

    static final String T2 = "assistant-d4-w1-t2-a0.9";
    static final String T4 = "assistant-d4-w1-t4-a0.9";
    static final String T8 = "assistant-d4-w1-t8-a0.9";

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;

    CandidatesIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void startOperator() {
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "candidates");
    }

    @AfterAll
    void stopOperator() {
        operator.close();
    }

    @Test
    void candidatesRunAsPodsTheBestIsChosenAndANewOneRunsAlone() {
        ObjectNode doc = Chains.withName(Chains.resource("fan-out.yaml"), "choose");
        ObjectNode spec = (ObjectNode) doc.get("spec");
        ((ObjectNode) spec.get("dataset")).putObject("validation").put("size", 1000);
        ((ObjectNode) spec.get("training")).put("alpha", 0.9);
        var stages = spec.putArray("stages");
        stages.addObject().put("name", "teacher").putObject("model").put("architecture", "plain-cnn").put("depth", 6);
        ObjectNode assistant = stages.addObject().put("name", "assistant").put("teacher", "teacher");
        assistant.putObject("model").put("architecture", "plain-cnn").put("depth", 4);
        assistant.putObject("candidates").putArray("temperature").add(2).add(4);
        ObjectNode student = stages.addObject().put("name", "student").put("teacher", "assistant");
        student.putObject("model").put("architecture", "plain-cnn").put("depth", 2);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);
        String chain = driver.name();

        succeed(driver, "teacher", 0.9);
        driver.awaitRunning(T2);
        driver.awaitRunning(T4);
        await("the Stage column counts the candidates").atMost(ChainDriver.TIMEOUT)
                .until(() -> "assistant 0/2".equals(driver.chain().getStatus().getActiveStages()));
        succeed(driver, T2, 0.80);
        await("one of two candidates ended").atMost(ChainDriver.TIMEOUT)
                .until(() -> "assistant 1/2".equals(driver.chain().getStatus().getActiveStages()));
        assertThat(driver.pods("student")).as("the student waits for the choice").isEmpty();
        succeed(driver, T4, 0.83);

        Pod studentPod = driver.awaitRunning("student");
        assertThat(teacherClaim(studentPod)).isEqualTo(chain + "-" + T4);
        // the status is written after the reconcile that created the student's Pod
        await("the choice on the status").atMost(ChainDriver.TIMEOUT).untilAsserted(() -> {
            StageStatus row = driver.stage("assistant").orElseThrow();
            assertThat(row.getSelected()).isEqualTo(T4);
            assertThat(row.getPhase().name()).isEqualTo("Succeeded");
            assertThat(row.getCheckpoint().getClaimName()).isEqualTo(chain + "-" + T4);
            assertThat(row.getCandidates()).extracting(CandidateStatus::getName, CandidateStatus::getValidationAccuracy)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(T2, 0.80), org.assertj.core.groups.Tuple.tuple(T4, 0.83));
        });
        succeed(driver, "student", 0.8);
        driver.awaitChainPhase("Succeeded");

        driver.chains().inNamespace(ns.name()).withName(chain).patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/stages/1/candidates/temperature\",\"value\":[2,4,8]}]");
        driver.awaitRunning(T8);
        await("the stage waits for its new candidate").atMost(ChainDriver.TIMEOUT).untilAsserted(() -> {
            StageStatus a = driver.stage("assistant").orElseThrow();
            assertThat(a.getSelected()).isNull();
            assertThat(a.getCandidates()).extracting(c -> c.getPhase().name()).containsExactly("Succeeded", "Succeeded", "Running");
            assertThat(driver.stage("student").orElseThrow().getPhase().name()).isEqualTo("Waiting");
        });
        succeed(driver, T8, 0.86);

        Pod retrained = driver.awaitPod("student", p -> p.getMetadata().getName().endsWith("-a2")
                && "Running".equals(ChainDriver.phase(p)), "the student's second Pod running");
        assertThat(teacherClaim(retrained)).isEqualTo(chain + "-" + T8);
        succeed(driver, "student", 0.82);
        driver.awaitChainPhase("Succeeded");
        assertThat(driver.stage("assistant").orElseThrow().getSelected()).isEqualTo(T8);
        assertThat(driver.pods()).extracting(p -> p.getMetadata().getName()).as("the first candidates were not trained again")
                .filteredOn(n -> n.contains("assistant")).containsExactlyInAnyOrder(
                        chain + "-" + T2 + "-a1", chain + "-" + T4 + "-a1", chain + "-" + T8 + "-a1");
    }

    private static void succeed(ChainDriver driver, String stage, double validationAccuracy) {
        Pod pod = driver.awaitRunning(stage);
        driver.kubelet().succeed(pod, String.format(Locale.ROOT, "{\"validationAccuracy\":%.4f,\"validationLoss\":0.4,"
                + "\"testAccuracy\":%.4f,\"testLoss\":0.5,\"epochs\":3,\"trainSeconds\":12.5}", validationAccuracy, validationAccuracy - 0.01));
    }

    private static String teacherClaim(Pod pod) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("teacher")).findFirst().orElseThrow()
                .getPersistentVolumeClaim().getClaimName();
    }
}
