package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.RealNode;
import dev.distillation.e2e.support.RealNodeTest;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trainer's process is killed mid-training (SIGKILL to the container's process through
 * containerd, as a crash or the kernel would; the Pod is left alone). The stage's next attempt
 * resumes from the last epoch checkpoint on its volume: at most the epoch in progress is lost.
 */
@RealNodeTest
class TrainerKillIT {

    private static final Pattern EPOCH_LINE = Pattern.compile("(?m)^epoch (\\d+)/(\\d+) ");

    private final TestCluster cluster;
    private final TestNamespace ns;
    private final RealNode node;

    TrainerKillIT(TestCluster cluster, TestNamespace ns, RealNode node) {
        this.cluster = cluster;
        this.ns = ns;
        this.node = node;
    }

    @Test
    void killedTrainerResumesFromItsLastEpochCheckpoint() throws Exception {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, node.place(Chains.resource("real-resume.yaml")));
        Pod first = await("the first attempt's Pod runs").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> driver.pods("teacher").stream().filter(p -> "Running".equals(ChainDriver.phase(p))).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
        String a1 = first.getMetadata().getName();

        await("the first epoch of " + a1 + " is checkpointed").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(300))
                .until(() -> lastEpoch(log(a1)) >= 1);
        node.killContainer(cluster, cluster.admin().pods().inNamespace(ns.name()).withName(a1).get());

        DistillationChain done = driver.awaitFinished(Duration.ofMinutes(10));
        assertThat(done.getStatus().getPhase().name()).as("stages: %s", done.getStatus().getStages()).isEqualTo("Succeeded");
        StageStatus stage = done.getStatus().getStages().get(0);
        assertThat(stage.getAttempts()).isEqualTo(2);
        assertThat(stage.getFailures()).as("the kill counts as a trainer failure").isEqualTo(1);
        assertThat(stage.getMetrics().getEpochs()).isEqualTo(3);

        Pod killed = cluster.admin().pods().inNamespace(ns.name()).withName(a1).get();
        ContainerStateTerminated end = killed.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertThat(killed.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(end.getExitCode()).as("SIGKILL").isEqualTo(137);
        assertThat(killed.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();

        int checkpointed = lastEpoch(log(a1));
        System.out.printf("%s was killed after epoch %d of 3 was checkpointed; the retry trained epochs %d to 3%n", a1, checkpointed, checkpointed + 1);
        assertThat(checkpointed).as("killed after epoch 1, before the last").isBetween(1, 2);
        List<Pod> pods = driver.pods("teacher");
        assertThat(pods).hasSize(2);
        String a2log = log(pods.get(1).getMetadata().getName());
        assertThat(a2log).contains("resuming at epoch " + (checkpointed + 1) + " of 3");
        assertThat(firstEpoch(a2log)).as("the retry trains from the epoch the kill interrupted").isEqualTo(checkpointed + 1);

        Path output = node.volumePath(cluster.admin(), ns.name(), driver.name() + "-teacher");
        JsonNode metrics = new ObjectMapper().readTree(output.resolve("metrics.json").toFile());
        assertThat(metrics.get("resumedFromEpoch").asInt()).isEqualTo(checkpointed);
        assertThat(metrics.get("epochs")).hasSize(3);
    }

    private String log(String pod) {
        return cluster.admin().pods().inNamespace(ns.name()).withName(pod).getLog();
    }

    /** The last epoch the log reports finished (and checkpointed: the line follows the checkpoint), 0 if none. */
    static int lastEpoch(String log) {
        Matcher m = EPOCH_LINE.matcher(log == null ? "" : log);
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    static int firstEpoch(String log) {
        Matcher m = EPOCH_LINE.matcher(log);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
