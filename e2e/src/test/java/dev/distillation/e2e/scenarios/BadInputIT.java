package dev.distillation.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.e2e.support.ChainDriver;
import dev.distillation.e2e.support.Chains;
import dev.distillation.e2e.support.ClusterTest;
import dev.distillation.e2e.support.OperatorLog;
import dev.distillation.e2e.support.OperatorProcess;
import dev.distillation.e2e.support.TestCluster;
import dev.distillation.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Specs that pass the CRD but that the cluster refuses, and trainers that fail in ways a retry
 * cannot fix, against the real API server: each reaches the user as a stage message naming the
 * field and quoting Kubernetes (or the trainer), with a Warning event, nothing half-created, and no
 * reconcile that throws: the operator's log is read for "failed; retrying" after each case.
 */
@ClusterTest
class BadInputIT {

    private final TestCluster cluster;
    private final TestNamespace ns;
    private OperatorProcess operator;
    /** A PriorityClass of this run, with a ResourceQuota in the namespace that only Pods of that class count against. */
    private String quotaClass;

    BadInputIT(TestCluster cluster, TestNamespace ns) {
        this.cluster = cluster;
        this.ns = ns;
    }

    @BeforeAll
    void setUp() {
        quotaClass = "e2e-quota-" + ns.name().replaceAll("[^a-z0-9-]", "");
        cluster.admin().scheduling().v1().priorityClasses().resource(new PriorityClassBuilder().withNewMetadata().withName(quotaClass)
                .endMetadata().withValue(10).build()).create();
        cluster.admin().resourceQuotas().inNamespace(ns.name()).resource(new ResourceQuotaBuilder()
                .withNewMetadata().withName("small").endMetadata()
                .withNewSpec().withHard(Map.of("limits.memory", new Quantity("1Gi")))
                .withNewScopeSelector().addNewMatchExpression().withScopeName("PriorityClass").withOperator("In")
                .withValues(quotaClass).endMatchExpression().endScopeSelector().endSpec().build()).create();
        cluster.admin().resourceQuotas().inNamespace(ns.name()).resource(new ResourceQuotaBuilder()
                .withNewMetadata().withName("disk").endMetadata()
                .withNewSpec().withHard(Map.of("limited.storageclass.storage.k8s.io/requests.storage", new Quantity("1Gi"))).endSpec()
                .build()).create();
        // Quota admission refuses nothing it has not counted yet ("status unknown for quota"): wait for the counts.
        for (String quota : List.of("small", "disk")) {
            await("quota " + quota + " counted").atMost(ChainDriver.TIMEOUT).until(() -> {
                var q = cluster.admin().resourceQuotas().inNamespace(ns.name()).withName(quota).get();
                return q.getStatus() != null && q.getStatus().getHard() != null && !q.getStatus().getHard().isEmpty();
            });
        }
        operator = OperatorProcess.start(cluster.kubeconfig(), ns.name(), "bad-input");
    }

    @AfterAll
    void tearDown() {
        operator.close();
        cluster.admin().scheduling().v1().priorityClasses().withName(quotaClass).delete();
    }

    /** retry.yaml (teacher, student, student-alone; backoffLimit 1) on the CPU: none of these cases needs one of the cluster's GPUs. */
    static ObjectNode chain(String name) {
        ObjectNode doc = Chains.withName(Chains.resource("retry.yaml"), name);
        trainer(doc).putObject("resources").put("gpu", 0);
        return doc;
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a PriorityClass that does not exist", "no-class",
                        edit(c -> trainer(c).put("priorityClassName", "no-such-class")),
                        "spec.trainer.priorityClassName: Kubernetes refused pod no-class-teacher-a1 (Forbidden): "
                                + "pods \"no-class-teacher-a1\" is forbidden: no PriorityClass with name no-such-class was found"),
                Arguments.of("memory over the namespace's quota", "over-quota",
                        edit(c -> trainer(c).put("priorityClassName", "QUOTA_CLASS")),
                        "spec.trainer.resources.memory: Kubernetes refused pod over-quota-teacher-a1 (Forbidden): "
                                + "pods \"over-quota-teacher-a1\" is forbidden: exceeded quota: small"),
                Arguments.of("a volume over the storage class's quota", "over-disk",
                        edit(c -> c.with("spec").putObject("storage").put("storageClassName", "limited").put("size", "2Gi")),
                        "spec.storage.size: Kubernetes refused volume over-disk-teacher (Forbidden): "
                                + "persistentvolumeclaims \"over-disk-teacher\" is forbidden: exceeded quota: disk"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusedObjectIsToldOnTheStageAndTriedAgainLater(String description, String name, Consumer<ObjectNode> edit, String message) {
        ObjectNode doc = chain(name);
        edit.accept(doc);
        if (doc.get("spec").get("trainer") != null && "QUOTA_CLASS".equals(doc.get("spec").get("trainer").path("priorityClassName").asText())) {
            trainer(doc).put("priorityClassName", quotaClass);
        }
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        // The stage says what Kubernetes said, and after its first wait (10 s) it was tried again, once.
        await(description + ": refused twice").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(driver.stage("teacher").map(StageStatus::getMessage).orElse(""))
                        .startsWith(message).contains("(refused 2 times in a row)"));
        assertThat(driver.stage("teacher").orElseThrow().getPhase().name()).isEqualTo("Waiting");
        assertThat(driver.chain().getStatus().getPhase().name()).as("a cluster-side refusal is no spec error").isEqualTo("Pending");
        await("nothing half-created").atMost(ChainDriver.TIMEOUT).until(() -> driver.pods("teacher").isEmpty());
        assertThat(cluster.admin().persistentVolumeClaims().inNamespace(ns.name()).withName(name + "-teacher").get())
                .as("no teacher volume without its Pod").isNull();
        assertThat(warnings(driver, "RefusedByKubernetes")).filteredOn(e -> e.getMessage().startsWith("stage teacher: "))
                .as("one event per refused Pod name").singleElement().satisfies(e -> assertThat(e.getMessage()).contains(message));
        long tries = OperatorLog.count(operator.log(), ns.name(), name, "stage teacher: ");
        assertThat(tries).as("tries after 0 s and 10 s, no loop").isBetween(2L, 3L);
        assertThat(OperatorLog.reconcileErrors(operator.log(), ns.name(), name)).as("reconciles that threw").isZero();
    }

    static Stream<Arguments> failuresARetryRepeats() {
        return Stream.of(
                Arguments.of("bad input (exit code 2)", "exit-two", 2, "Error", "error: teacher checkpoint /teacher/model.params is corrupt",
                        "failed, not retried: pod exit-two-teacher-a1: bad input (exit code 2): teacher checkpoint /teacher/model.params is corrupt"),
                Arguments.of("the heap ran out (exit code 3), no message of the trainer's", "exit-three", 3, "Error",
                        "epoch 1/2\nException in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat ai.djl.ndarray.NDArray.toArray(NDArray.java:1)",
                        "failed, not retried: pod exit-three-teacher-a1: the trainer ran out of memory (exit code 3, memory limit 4Gi): "
                                + "raise spec.trainer.resources.memory: java.lang.OutOfMemoryError: Java heap space"),
                Arguments.of("the recipe diverged (exit code 4)", "exit-four", 4, "Error", "error: the loss diverged (NaN) at epoch 2",
                        "failed, not retried: pod exit-four-teacher-a1: training failed (exit code 4), as it would again with the same settings: "
                                + "the loss diverged (NaN) at epoch 2"),
                Arguments.of("killed for its memory limit", "oom-killed", 137, "OOMKilled", "",
                        "failed, not retried: pod oom-killed-teacher-a1 was killed for using more memory than its limit (OOMKilled, "
                                + "exit code 137, memory limit 4Gi): raise spec.trainer.resources.memory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresARetryRepeats")
    void aFailureARetryRepeatsFailsTheStageAtOnce(String description, String name, int exitCode, String reason, String log, String message) {
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, chain(name));
        terminate(driver.awaitRunning("teacher"), exitCode, reason, log);

        driver.awaitChainPhase("Failed");
        StageStatus teacher = driver.stage("teacher").orElseThrow();
        assertThat(teacher.getPhase().name()).isEqualTo("Failed");
        assertThat(teacher.getMessage()).isEqualTo(message);
        assertThat(driver.pods("teacher")).as("not retried, though backoffLimit is 1").hasSize(1);
        assertThat(warnings(driver, "StageFailed")).singleElement();
        assertThat(OperatorLog.reconcileErrors(operator.log(), ns.name(), name)).isZero();
    }

    @Test
    void aStageEvictedAgainAndAgainFailsWithTheReason() {
        ObjectNode doc = chain("evicted");
        ((ObjectNode) doc.get("spec")).put("disruptionLimit", 1);
        ChainDriver driver = ChainDriver.apply(cluster.admin(), ns, doc);

        driver.kubelet().evict(driver.awaitRunning("teacher"));
        await("a second teacher Pod").atMost(ChainDriver.TIMEOUT).until(() -> driver.pods("teacher").size() == 2);
        driver.kubelet().evict(driver.awaitRunning("teacher"));

        driver.awaitChainPhase("Failed");
        StageStatus teacher = driver.stage("teacher").orElseThrow();
        assertThat(teacher.getDisruptions()).isEqualTo(2);
        assertThat(teacher.getFailures()).isZero();
        assertThat(teacher.getMessage()).startsWith("lost 2 Pods to disruptions (eviction, preemption, node loss or deletion), more than "
                + "disruptionLimit 1; the last: pod evicted-teacher-a2 was ended by the cluster (Evicted)");
        assertThat(driver.pods("teacher")).hasSize(2);
        assertThat(cluster.admin().persistentVolumeClaims().inNamespace(ns.name()).withName("evicted-teacher").get().getMetadata()
                .getAnnotations()).containsEntry("distillation.dev/disrupted-pods",
                teacher.getFingerprint() + " evicted-teacher-a1 evicted-teacher-a2");
        assertThat(OperatorLog.reconcileErrors(operator.log(), ns.name(), "evicted")).isZero();
    }

    private List<Event> warnings(ChainDriver driver, String reason) {
        return cluster.admin().v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> driver.name().equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    /** Ends the Pod as a kubelet would when its trainer container exits with {@code exitCode} ({@code reason} OOMKilled or Error). */
    private void terminate(Pod pod, int exitCode, String reason, String message) {
        String now = Instant.now().toString();
        cluster.admin().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase("Failed");
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(p.getSpec().getContainers().get(0).getName())
                    .withImage(p.getSpec().getContainers().get(0).getImage()).withImageID("").withReady(false).withRestartCount(0)
                    .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason)
                            .withMessage(message).withStartedAt(now).withFinishedAt(now).endTerminated().build())
                    .build()));
            return p;
        });
    }

    private static Consumer<ObjectNode> edit(Consumer<ObjectNode> change) {
        return change;
    }

    private static ObjectNode trainer(ObjectNode chain) {
        return chain.with("spec").with("trainer");
    }
}
