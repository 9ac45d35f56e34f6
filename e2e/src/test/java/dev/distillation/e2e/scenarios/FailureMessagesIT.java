package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.InstalledOperator;
import dev.distillation.e2e.support.RealNode;
import dev.distillation.e2e.support.RealNodeTest;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures on a real node say what happened, in the chain's status: a memory limit too small
 * (killed by the kernel, OOMKilled, or too small for the trainer's JVM at all; either way the
 * message names the field to raise), an image that does not exist (the kubelet's pull error, not
 * just "pending"), and a teacher checkpoint corrupted on its volume (the student fails naming the
 * file, and the operator carries on).
 */
@RealNodeTest
class FailureMessagesIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final TestCluster cluster;
    private final TestNamespace ns;
    private final RealNode node;
    private final InstalledOperator operator;

    FailureMessagesIT(TestCluster cluster, TestNamespace ns, RealNode node, InstalledOperator operator) {
        this.cluster = cluster;
        this.ns = ns;
        this.node = node;
        this.operator = operator;
    }

    @Test
    void memoryLimitTooSmallForTheBatchIsOomKilledAndNamesTheField() {
        // 16384 images per step: libtorch's activations far outgrow the half of 600Mi beside the heap
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, withMemoryAndBatch("real-oom", "600Mi", 16384));

        StageStatus stage = awaitStageFailed(driver, "teacher");

        Pod pod = driver.pods("teacher").get(0);
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(stage.getMessage()).contains("killed for using more memory than its limit (OOMKilled, exit code 137, memory limit 600Mi)")
                .contains("raise spec.trainer.resources.memory");
        assertThat(driver.chain().getStatus().getPhase().name()).isEqualTo("Failed");
    }

    @Test
    void memoryThatStaysFullEndsTheStageNamingTheField() {
        // 4096 images per step fill 600Mi without a sudden excess: the kernel evicted the trainer's
        // code for good instead of killing it, until the trainer watched its own memory. Now the
        // stage ends either way: the trainer's watch stops it, or the kernel kills it in the end
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, withMemoryAndBatch("real-full", "600Mi", 4096));

        StageStatus stage = awaitStageFailed(driver, "teacher");

        assertThat(stage.getMessage()).containsAnyOf("out of memory", "more memory than its limit")
                .contains("raise spec.trainer.resources.memory");
    }

    @Test
    void memoryLimitTooSmallForTheTrainerFailsAtOnceNamingTheField() {
        // with half of 160Mi as heap the JVM filled the container and hung; now it is refused
        ObjectNode doc = chain("real-tiny");
        resources(doc).put("memory", "160Mi");
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        StageStatus stage = awaitStageFailed(driver, "teacher");

        assertThat(stage.getMessage()).contains("exit code 2")
                .contains("the memory limit of 160Mi is too small for the trainer")
                .contains("raise spec.trainer.resources.memory");
    }

    @Test
    void imageThatDoesNotExistSaysSo() {
        ObjectNode doc = chain("real-no-image");
        String image = "distillation-trainer:no-such-version";
        ((ObjectNode) doc.get("spec").get("trainer")).put("image", image);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        StageStatus stage = await("stage teacher of " + driver.name() + " explains why it does not start").atMost(TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> driver.stage("teacher").orElse(null),
                        s -> s != null && s.getMessage() != null && s.getMessage().matches("(?s).*(ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName).*"));

        assertThat(stage.getPhase().name()).isEqualTo("Pending");
        assertThat(stage.getMessage()).contains(image);
        Chains.api(cluster.admin()).inNamespace(ns.name()).withName(driver.name()).delete();
    }

    @Test
    void corruptTeacherCheckpointFailsTheStudentNamingTheFile() throws Exception {
        ObjectNode doc = chain("real-corrupt");
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);
        await("teacher of " + driver.name() + " succeeded").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> driver.stage("teacher").map(s -> s.getPhase() != null && s.getPhase().name().equals("Succeeded")).orElse(false));

        // the teacher's parameters, damaged on its volume after it finished
        Path params = node.volumePath(cluster.admin(), ns.name(), driver.name() + "-teacher").resolve("model.params");
        byte[] bytes = Files.readAllBytes(params);
        Arrays.fill(bytes, bytes.length / 3, bytes.length, (byte) 0x5a);
        Files.write(params, bytes);

        // then a student of that teacher is added to the chain
        Chains.api(cluster.admin()).inNamespace(ns.name()).withName(driver.name()).patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/spec/stages/-\",\"value\":{\"name\":\"student\",\"teacher\":\"teacher\","
                        + "\"model\":{\"architecture\":\"plain-cnn\",\"depth\":2,\"width\":0.5}}}]");

        StageStatus student = awaitStageFailed(driver, "student");

        assertThat(student.getMessage()).contains("/teacher/model.params");
        Pod pod = operator.pod().orElseThrow();
        assertThat(InstalledOperator.ready(pod)).as("the operator stays ready").isTrue();
        assertThat(InstalledOperator.restarts(pod)).as("the operator never restarted").isZero();
        assertThat(driver.stage("teacher").orElseThrow().getPhase().name()).isEqualTo("Succeeded");
    }

    private ObjectNode chain(String name) {
        return node.place(Chains.withName(Chains.resource("real-small.yaml"), name));
    }

    private ObjectNode withMemoryAndBatch(String name, String memory, int batchSize) {
        ObjectNode doc = chain(name);
        resources(doc).put("memory", memory);
        ((ObjectNode) doc.get("spec").get("training")).put("batchSize", batchSize);
        return doc;
    }

    private static ObjectNode resources(ObjectNode doc) {
        return (ObjectNode) doc.get("spec").get("trainer").get("resources");
    }

    private static StageStatus awaitStageFailed(ChainDriver driver, String stage) {
        StageStatus s = await("stage " + stage + " of " + driver.name() + " ended").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> driver.stage(stage).orElse(null),
                        st -> st != null && st.getPhase() != null && List.of("Failed", "Succeeded").contains(st.getPhase().name()));
        assertThat(s.getPhase().name()).as("stage %s: %s", stage, s.getMessage()).isEqualTo("Failed");
        return s;
    }
}
