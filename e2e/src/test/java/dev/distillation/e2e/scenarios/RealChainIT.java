package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.RealNode;
import dev.distillation.e2e.support.RealNodeTest;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A small teacher-assistant chain on Fashion-MNIST (teacher -> assistant -> student, with the
 * direct and label-only baselines) trained for real: every stage in a Pod of the trainer image on
 * the real node, checkpoints handed on through local volumes (the teacher's mounted read-only),
 * accuracies read from the trainer's termination messages, two students of the teacher running at once
 * on its ReadWriteOnce volume, and the same chain file run with
 * {@code distill run} on this machine (meanwhile, with one thread like each stage Pod's one CPU)
 * giving the same accuracies within a point.
 */
@RealNodeTest
class RealChainIT {

    private static final Duration CHAIN_TIMEOUT = Duration.ofMinutes(15);

    private final TestCluster cluster;
    private final TestNamespace ns;
    private final RealNode node;

    RealChainIT(TestCluster cluster, TestNamespace ns, RealNode node) {
        this.cluster = cluster;
        this.ns = ns;
        this.node = node;
    }

    @Test
    void chainTrainsInRealPodsAndMatchesTheLocalRunner() throws Exception {
        ObjectNode doc = node.place(Chains.resource("real-takd.yaml"));
        CompletableFuture<Map<String, Double>> local = CompletableFuture.supplyAsync(() -> distillRun(doc));
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        DistillationChain done = driver.awaitFinished(CHAIN_TIMEOUT);

        assertThat(done.getStatus().getPhase().name()).as("chain phase; stage messages: %s", done.getStatus().getStages()).isEqualTo("Succeeded");
        Map<String, Double> onCluster = new HashMap<>();
        for (StageStatus s : done.getStatus().getStages()) {
            assertThat(s.getPhase()).as(s.getName()).isEqualTo(StagePhase.Succeeded);
            assertThat(s.getAttempts()).as(s.getName()).isEqualTo(1);
            Pod pod = driver.pods(s.getName()).get(0);
            assertRanForReal(pod);
            ContainerStateTerminated end = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
            JsonNode message = new ObjectMapper().readTree(end.getMessage());
            assertThat(s.getMetrics().getTestAccuracy()).as("status of %s comes from its termination message", s.getName())
                    .isEqualTo(message.get("testAccuracy").asDouble());
            assertThat(s.getMetrics().getTestAccuracy()).as(s.getName()).isBetween(0.5, 1.0);
            assertThat(s.getMetrics().getEpochs()).isEqualTo(1);
            onCluster.put(s.getName(), s.getMetrics().getTestAccuracy());
        }
        assertThat(onCluster).containsOnlyKeys("teacher", "assistant", "student", "student-direct", "student-alone");
        assertThat(done.getStatus().getSummary()).contains("student").contains("%");

        // the students read their teacher's checkpoint from the teacher's volume, read-only
        assertTeacherMountedReadOnly(driver, "assistant", "teacher");
        assertTeacherMountedReadOnly(driver, "student", "assistant");
        assertTeacherMountedReadOnly(driver, "student-direct", "teacher");
        // two students of one teacher ran at once, both mounting its ReadWriteOnce volume on this node
        assertRanAtOnce(driver.pods("assistant").get(0), driver.pods("student-direct").get(0));
        assertThat(done.getStatus().getStages().stream().filter(s -> s.getName().equals("student")).findFirst().orElseThrow()
                .getMetrics().getTeacherLogits()).isEqualTo("cached");

        Map<String, Double> locally = local.get(CHAIN_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        assertThat(locally).containsOnlyKeys(onCluster.keySet());
        for (var e : onCluster.entrySet()) {
            assertThat(e.getValue()).as("accuracy of %s on the cluster vs distill run", e.getKey()).isCloseTo(locally.get(e.getKey()), within(0.01));
        }
    }

    /** The Pod ran on the real node, in a container of the trainer image, and ended by itself with exit code 0. */
    private void assertRanForReal(Pod pod) {
        assertThat(pod.getSpec().getNodeName()).isEqualTo(node.name());
        var status = pod.getStatus().getContainerStatuses().get(0);
        assertThat(status.getImage()).isEqualTo(node.trainerImage());
        assertThat(status.getImageID()).startsWith("sha256:");
        assertThat(status.getContainerID()).startsWith("containerd://");
        assertThat(status.getState().getTerminated().getExitCode()).isZero();
        assertThat(status.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    }

    /** The two Pods' containers ran at overlapping times (the kubelet's start and finish times). */
    private static void assertRanAtOnce(Pod a, Pod b) {
        ContainerStateTerminated ea = a.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        ContainerStateTerminated eb = b.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        Instant aStart = Instant.parse(ea.getStartedAt());
        Instant aEnd = Instant.parse(ea.getFinishedAt());
        Instant bStart = Instant.parse(eb.getStartedAt());
        Instant bEnd = Instant.parse(eb.getFinishedAt());
        assertThat(aStart.isBefore(bEnd) && bStart.isBefore(aEnd))
                .as("%s ran %s..%s, %s ran %s..%s", a.getMetadata().getName(), aStart, aEnd, b.getMetadata().getName(), bStart, bEnd)
                .isTrue();
    }

    private void assertTeacherMountedReadOnly(ChainDriver driver, String stage, String teacher) {
        Pod pod = driver.pods(stage).get(0);
        VolumeMount mount = pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> "/teacher".equals(m.getMountPath())).findFirst().orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        String claim = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow()
                .getPersistentVolumeClaim().getClaimName();
        assertThat(claim).isEqualTo(driver.name() + "-" + teacher);
        String log = cluster.admin().pods().inNamespace(ns.name()).withName(pod.getMetadata().getName()).getLog();
        assertThat(log).as("log of %s", pod.getMetadata().getName()).contains("Cached the teacher's logits");
    }

    /**
     * The same chain file, run with {@code distill run} on this machine with one PyTorch thread (the
     * stage Pods have one CPU each); test accuracy per stage from its report.json.
     */
    private Map<String, Double> distillRun(ObjectNode doc) {
        try {
            Path dir = Files.createTempDirectory(TestCluster.logsDir(), "distill-run-");
            Path file = dir.resolve("real-takd.yaml");
            new YAMLMapper().writeValue(file.toFile(), doc);
            Path workdir = dir.resolve("runs");
            cluster.runLong(CHAIN_TIMEOUT, Map.of("DISTILL_SKIP_BUILD", "1"), dir.resolve("distill-run.log"),
                    cluster.repoRoot().resolve("distill").toString(), "run", file.toString(), "--workdir", workdir.toString(), "--threads", "1");
            JsonNode report = new ObjectMapper().readTree(workdir.resolve(doc.path("metadata").path("name").asText()).resolve("report.json").toFile());
            Map<String, Double> accuracy = new HashMap<>();
            for (JsonNode s : report.get("stages")) {
                accuracy.put(s.get("name").asText(), s.path("metrics").path("testAccuracy").asDouble());
            }
            return accuracy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
