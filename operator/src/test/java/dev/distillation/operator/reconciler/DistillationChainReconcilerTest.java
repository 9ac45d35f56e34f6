package dev.distillation.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.operator.Kubelet;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.managed.StageAnnotations;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against the fabric8 mock API server (CRUD mode). The mock schedules and runs no
 * Pods, so the test moves Pod status itself, as a kubelet would.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class DistillationChainReconcilerTest {

    static final String NS = "ml";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    Kubelet kubelet;

    @BeforeEach
    void setUp() {
        kubelet = new Kubelet(client, NS);
    }

    DistillationChain create(DistillationChain chain) {
        chain.getMetadata().setNamespace(NS);
        chain.getMetadata().setUid(null);
        chain.getMetadata().setGeneration(null);
        return client.resource(chain).create();
    }

    DistillationChain get(String name) {
        return client.resources(DistillationChain.class).inNamespace(NS).withName(name).get();
    }

    StageStatus stage(String chain, String stage) {
        return get(chain).getStatus().getStages().stream().filter(s -> s.getName().equals(stage)).findFirst().orElseThrow();
    }

    static Condition condition(DistillationChain chain, String type) {
        return chain.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    List<Event> events(String chain) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> chain.equals(e.getInvolvedObject().getName())).toList();
    }

    /** A small chain: teacher → student, builtin dataset, no GPU. */
    static DistillationChain small(String name, int backoffLimit) {
        DistillationChain chain = TestChains.example("quickstart");
        chain.setMetadata(new ObjectMetaBuilder().withName(name).build());
        StageSpec teacher = stage("teacher", null, 4);
        StageSpec student = stage("student", "teacher", 2);
        chain.getSpec().setStages(new java.util.ArrayList<>(List.of(teacher, student)));
        chain.getSpec().setBackoffLimit(backoffLimit);
        chain.getSpec().setParallelism(1);
        return chain;
    }

    static StageSpec stage(String name, String teacher, int depth) {
        StageSpec s = new StageSpec();
        s.setName(name);
        s.setTeacher(teacher);
        var model = new dev.distillation.api.v1alpha1.ModelSpec();
        model.setArchitecture(dev.distillation.api.v1alpha1.Architecture.PLAIN_CNN);
        model.setDepth(depth);
        s.setModel(model);
        return s;
    }

    @Test
    void aTrainingStageShowsTheProgressItsTrainerServesEachEpoch() throws Exception {
        String name = "progress";
        create(small(name, 1));
        String pod = name + "-teacher-a1";
        await().atMost(TIMEOUT).until(() -> kubelet.pod(pod).isPresent());
        String[] document = {"{\"epoch\":57,\"epochs\":200,\"testAccuracy\":0.7123,\"testLoss\":0.8,\"samplesPerSecond\":2210.0,"
                + "\"estimatedCompletionTime\":\"2026-03-01T12:00:00Z\"}"};
        HttpServer trainer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        trainer.createContext(StageJob.PROGRESS_PATH, exchange -> {
            byte[] body = document[0].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        trainer.start();
        try {
            // The mock API server runs nothing: the Pod "runs" at 127.0.0.1, its trainer being the server above.
            client.pods().inNamespace(NS).withName(pod).edit(p -> new PodBuilder(p).editSpec().editFirstContainer().editFirstPort()
                    .withContainerPort(trainer.getAddress().getPort()).endPort().endContainer().endSpec().build());
            kubelet.status(pod, new PodStatusBuilder(TestChains.running()).withPodIP("127.0.0.1").build());

            await().atMost(TIMEOUT).untilAsserted(() -> {
                StageProgress p = stage(name, "teacher").getProgress();
                assertThat(p).isNotNull();
                assertThat(p.getEpoch()).isEqualTo(57);
                assertThat(p.getEpochs()).isEqualTo(200);
                assertThat(p.getTestAccuracy()).isEqualTo(0.7123);
                assertThat(p.getTestLoss()).isEqualTo(0.8);
                assertThat(p.getSamplesPerSecond()).isEqualTo(2210.0);
                assertThat(p.getEstimatedCompletionTime()).isEqualTo("2026-03-01T12:00:00Z");
                assertThat(get(name).getStatus().getTraining()).isEqualTo("teacher 57/200 71.2%");
            });
            document[0] = "{\"epoch\":58,\"epochs\":200,\"testAccuracy\":0.7204}";
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(name).getStatus().getTraining()).isEqualTo("teacher 58/200 72.0%"));

            kubelet.status(pod, TestChains.succeeded(0.9));
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(stage(name, "teacher").getPhase()).isEqualTo(StagePhase.Succeeded);
                assertThat(stage(name, "teacher").getProgress()).isNull();
            });
        } finally {
            trainer.stop(0);
        }
    }

    @Test
    void fullChainRunsStageByStageToASummary() {
        DistillationChain chain = TestChains.paper();
        String name = chain.getMetadata().getName();
        create(chain);
        Map<String, Double> accuracy = Map.of("teacher", 0.912, "assistant", 0.874, "student", 0.841,
                "student-direct", 0.832, "student-alone", 0.820);

        // The first wave: the two stages without a teacher (parallelism 2), each with its volume. Both mount the
        // dataset's claim, ReadWriteOnce by default: the second starts once the first has a node, on that node.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName())
                .containsExactly(name + "-teacher-a1"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stage(name, "student-alone").getMessage())
                .startsWith("waiting for volume cifar10: in use by Pod " + name + "-teacher-a1"));
        kubelet.schedule(name + "-teacher-a1", "gpu-node-7");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(name + "-teacher-a1", name + "-student-alone-a1"));
        assertThat(kubelet.pod(name + "-student-alone-a1").orElseThrow().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues())
                .containsExactly("gpu-node-7");
        Pod teacherPod = kubelet.pod(name + "-teacher-a1").orElseThrow();
        assertThat(teacherPod.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(get(name).getMetadata().getUid()));
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(name + "-teacher").get()).isNotNull();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            DistillationChain c = get(name);
            assertThat(c.getStatus().getPhase()).isEqualTo(ChainPhase.Pending);
            assertThat(c.getStatus().getActiveStages()).isEqualTo("teacher,student-alone");
            assertThat(c.getStatus().getProgress()).isEqualTo("0/5");
        });

        kubelet.run(name + "-teacher-a1");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(name).getStatus().getPhase()).isEqualTo(ChainPhase.Running);
            assertThat(stage(name, "teacher").getPhase()).isEqualTo(StagePhase.Running);
        });

        // The test plays kubelet: every Pod the operator starts runs and succeeds with its metrics.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (Pod p : kubelet.pods(name)) {
                if (Kubelet.unfinished(p)) {
                    kubelet.succeed(p.getMetadata().getName(), accuracy.get(p.getMetadata().getLabels().get(Labels.STAGE)));
                }
            }
            assertThat(get(name).getStatus().getPhase()).isEqualTo(ChainPhase.Succeeded);
        });

        DistillationChain done = get(name);
        assertThat(done.getStatus().getSummary()).isEqualTo("student 84.1% (teacher 91.2%, student-direct 83.2%, student-alone 82.0%)");
        assertThat(done.getStatus().getBestAccuracy()).isEqualTo("87.4%");
        assertThat(done.getStatus().getProgress()).isEqualTo("5/5");
        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
        assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(done, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(done, "Failed").getStatus()).isEqualTo("False");
        assertThat(done.getStatus().getStages()).extracting(StageStatus::getName).containsExactly(
                "teacher", "assistant", "student", "student-direct", "student-alone");
        StageStatus student = stage(name, "student");
        assertThat(student.getMetrics().getTestAccuracy()).isEqualTo(0.841);
        assertThat(student.getPod()).isEqualTo(name + "-student-a1");
        assertThat(student.getAttempts()).isEqualTo(1);
        assertThat(student.getCheckpoint().getClaimName()).isEqualTo(name + "-student");
        assertThat(student.getFingerprint()).startsWith("sha256:");
        assertThat(kubelet.pods(name)).hasSize(5);
        // The result outlives the Pods: it is recorded on the stage's volume.
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(NS).withName(name + "-student").get();
        assertThat(pvc.getMetadata().getAnnotations()).containsEntry(StageAnnotations.RESULT_FINGERPRINT, student.getFingerprint());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(name)).extracting(Event::getReason)
                .contains("StageStarted", "StageSucceeded"));

        // A succeeded stage whose Pod is deleted later does not run again.
        client.pods().inNamespace(NS).withName(name + "-teacher-a1").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isEmpty());
        client.resources(DistillationChain.class).inNamespace(NS).withName(name)
                .edit(c -> { c.getMetadata().getLabels(); c.getSpec().setParallelism(3); return c; });
        await().pollDelay(Duration.ofSeconds(1)).atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(name).getStatus().getObservedGeneration()).isEqualTo(get(name).getMetadata().getGeneration());
            assertThat(get(name).getStatus().getPhase()).isEqualTo(ChainPhase.Succeeded);
        });
        assertThat(kubelet.pods(name)).hasSize(4);

        // An edit to the student re-runs only the student.
        client.resources(DistillationChain.class).inNamespace(NS).withName(name).edit(c -> {
            TrainingSpec t = new TrainingSpec();
            t.setEpochs(3);
            c.getSpec().getStages().get(2).setTraining(t);
            return c;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(kubelet.pod(name + "-student-a2")).isPresent();
            assertThat(stage(name, "student").getPhase()).isEqualTo(StagePhase.Pending);
            assertThat(get(name).getStatus().getProgress()).isEqualTo("4/5");
        });
        assertThat(kubelet.pods(name)).hasSize(5);
    }

    @Test
    void trainerFailuresAreRetriedUntilBackoffLimitThenTheStageFailsAndDescendantsAreSkipped() {
        String name = "retry";
        create(small(name, 1));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isPresent());
        kubelet.fail(name + "-teacher-a1", "java.lang.IllegalStateException: NaN loss at epoch 3");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a2")).isPresent());
        assertThat(kubelet.pod(name + "-teacher-a2").orElseThrow().getMetadata().getAnnotations())
                .containsEntry(StageAnnotations.FAILURES_BEFORE, "1");
        kubelet.fail(name + "-teacher-a2", "java.lang.IllegalStateException: NaN loss at epoch 3");

        await().atMost(TIMEOUT).untilAsserted(() -> {
            DistillationChain c = get(name);
            assertThat(c.getStatus().getPhase()).isEqualTo(ChainPhase.Failed);
            assertThat(condition(c, "Failed").getStatus()).isEqualTo("True");
            assertThat(condition(c, "Failed").getReason()).isEqualTo("StageFailed");
            assertThat(condition(c, "Ready").getStatus()).isEqualTo("False");
        });
        StageStatus teacher = stage(name, "teacher");
        assertThat(teacher.getPhase()).isEqualTo(StagePhase.Failed);
        assertThat(teacher.getAttempts()).isEqualTo(2);
        assertThat(teacher.getFailures()).isEqualTo(2);
        assertThat(teacher.getMessage()).contains("failed after 2 attempts", "NaN loss at epoch 3");
        assertThat(stage(name, "student").getPhase()).isEqualTo(StagePhase.Skipped);
        assertThat(kubelet.pods(name)).hasSize(2);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(name)).extracting(Event::getReason)
                .contains("StageStarted", "StageRetrying", "StageFailed"));
    }

    @Test
    void evictedPodIsReplacedWithoutCountingAgainstBackoffLimit() {
        String name = "evicted";
        create(small(name, 0));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isPresent());
        kubelet.run(name + "-teacher-a1");
        kubelet.status(name + "-teacher-a1", TestChains.evicted());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a2")).isPresent());
        // Deleted from outside while running: replaced too.
        kubelet.run(name + "-teacher-a2");
        client.pods().inNamespace(NS).withName(name + "-teacher-a2").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a2"))
                .hasValueSatisfying(next -> assertThat(next.getStatus() == null || next.getStatus().getPhase() == null).isTrue()));

        // The replacement takes the freed name; neither loss counts, so with backoffLimit 0 the stage is
        // still waiting for its Pod to start, and the chain has not started.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StageStatus teacher = stage(name, "teacher");
            assertThat(teacher.getPhase()).isEqualTo(StagePhase.Pending);
            assertThat(teacher.getPod()).isEqualTo(name + "-teacher-a2");
            assertThat(teacher.getAttempts()).isEqualTo(2);
            assertThat(teacher.getFailures()).isZero();
            assertThat(stage(name, "student").getPhase()).isEqualTo(StagePhase.Waiting);
            DistillationChain c = get(name);
            assertThat(c.getStatus().getPhase()).isEqualTo(ChainPhase.Pending);
            assertThat(condition(c, "Failed").getStatus()).isEqualTo("False");
        });
        assertThat(kubelet.pods(name)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(name + "-teacher-a1", name + "-teacher-a2");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events(name))
                .filteredOn(e -> e.getReason().equals("StageRetrying")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMessage()).contains("was ended by the cluster")));
    }

    @Test
    void unschedulablePodShowsTheSchedulersReason() {
        String name = "no-gpu";
        create(small(name, 0));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isPresent());
        kubelet.status(name + "-teacher-a1", TestChains.unschedulable("0/3 nodes are available: 3 Insufficient nvidia.com/gpu."));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(stage(name, "teacher").getMessage()).isEqualTo("Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");
            assertThat(events(name)).filteredOn(e -> e.getReason().equals("Unschedulable")).hasSize(1)
                    .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
        });
    }

    @Test
    void unreadableMetricsFailTheStageWithoutCrashingTheOperator() {
        String name = "bad-metrics";
        create(small(name, 2));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isPresent());
        kubelet.status(name + "-teacher-a1", TestChains.succeeded("done!"));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(get(name).getStatus().getPhase()).isEqualTo(ChainPhase.Failed);
            assertThat(stage(name, "teacher").getMessage()).contains("not metrics JSON: done!");
        });
    }

    @Test
    void suspendedChainStartsNothing() {
        String name = "suspended";
        DistillationChain chain = small(name, 0);
        chain.getSpec().setSuspend(true);
        create(chain);

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(name).getStatus().getPhase()).isEqualTo(ChainPhase.Suspended));
        assertThat(kubelet.pods(name)).isEmpty();

        client.resources(DistillationChain.class).inNamespace(NS).withName(name).edit(c -> { c.getSpec().setSuspend(false); return c; });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(kubelet.pod(name + "-teacher-a1")).isPresent());
    }

    @Test
    void invalidSpecIsReportedAndNothingIsCreated() {
        String name = "invalid";
        DistillationChain chain = small(name, 0);
        chain.getSpec().getStages().get(1).setTeacher("nobody");
        create(chain);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            DistillationChain c = get(name);
            assertThat(c.getStatus().getPhase()).isEqualTo(ChainPhase.Invalid);
            Condition valid = condition(c, "Valid");
            assertThat(valid.getStatus()).isEqualTo("False");
            assertThat(valid.getReason()).isEqualTo("InvalidSpec");
            assertThat(valid.getMessage()).startsWith("spec.stages[1].teacher: ");
            assertThat(events(name)).filteredOn(e -> e.getReason().equals("InvalidSpec")).singleElement()
                    .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        });
        assertThat(kubelet.pods(name)).isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel(Labels.CHAIN, name).list().getItems()).isEmpty();
        // The spec is never rewritten.
        assertThat(get(name).getSpec().getStages().get(1).getTeacher()).isEqualTo("nobody");
    }

    @Test
    void aStageWithCandidatesRunsEachAsAPodChoosesByValidationAccuracyAndItsStudentLearnsFromTheChoice() {
        String name = "candidates";
        DistillationChain chain = small(name, 0);
        chain.getSpec().setParallelism(2);
        chain.getSpec().getDataset().setValidation(new dev.distillation.api.v1alpha1.ValidationSplit(1000, null));
        StageSpec assistant = stage("assistant", "teacher", 4);
        assistant.setCandidates(new dev.distillation.api.v1alpha1.CandidatesSpec(null, List.of(2.0, 4.0), null));
        chain.getSpec().getStages().get(1).setTeacher("assistant");
        chain.getSpec().getStages().add(1, assistant);
        List<String> candidates = dev.distillation.api.graph.Candidates.of(chain.getSpec(), assistant).stream()
                .map(dev.distillation.api.graph.Candidates.Candidate::name).toList();
        create(chain);

        String teacherPod = name + "-teacher-a1";
        await().atMost(TIMEOUT).until(() -> kubelet.pod(teacherPod).isPresent());
        kubelet.run(teacherPod);
        kubelet.status(teacherPod, TestChains.succeeded(validated(0.9)));

        String first = name + "-" + candidates.get(0) + "-a1";
        String second = name + "-" + candidates.get(1) + "-a1";
        await().atMost(TIMEOUT).until(() -> kubelet.pod(first).isPresent());
        kubelet.run(first);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(name).getStatus().getActiveStages()).isEqualTo("assistant 0/2"));
        kubelet.status(first, TestChains.succeeded(validated(0.86)));
        await().atMost(TIMEOUT).until(() -> kubelet.pod(second).isPresent());
        kubelet.run(second);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(name).getStatus().getActiveStages()).isEqualTo("assistant 1/2"));
        assertThat(kubelet.pods(name)).noneMatch(p -> "student".equals(p.getMetadata().getLabels().get(Labels.STAGE)));
        kubelet.status(second, TestChains.succeeded(validated(0.81)));

        String studentPod = name + "-student-a1";
        await().atMost(TIMEOUT).until(() -> kubelet.pod(studentPod).isPresent());
        assertThat(kubelet.pod(studentPod).orElseThrow().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("teacher");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(name + "-" + candidates.get(0));
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StageStatus row = stage(name, "assistant");
            assertThat(row.getPhase()).isEqualTo(StagePhase.Succeeded);
            assertThat(row.getSelected()).isEqualTo(candidates.get(0));
            assertThat(row.getCandidates()).extracting(c -> c.getName() + " " + c.getPhase() + " " + c.getValidationAccuracy())
                    .containsExactly(candidates.get(0) + " Succeeded 0.86", candidates.get(1) + " Succeeded 0.81");
            assertThat(get(name).getStatus().getActiveStages()).isEqualTo("student");
            assertThat(events(name)).filteredOn(e -> "CandidateChosen".equals(e.getReason())).extracting(Event::getMessage)
                    .containsExactly("stage assistant chose " + candidates.get(0) + " of 2 candidates by validation accuracy (86.0%)");
        });
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel(Labels.CHAIN, name).list().getItems())
                .extracting(v -> v.getMetadata().getName())
                .containsExactlyInAnyOrder(name + "-teacher", name + "-" + candidates.get(0), name + "-" + candidates.get(1), name + "-student");
    }

    /** A trainer's termination message for a chain with a validation split. */
    static String validated(double validationAccuracy) {
        dev.distillation.api.v1alpha1.StageMetrics m = new dev.distillation.api.v1alpha1.StageMetrics();
        m.setValidationAccuracy(validationAccuracy);
        m.setValidationLoss(0.4);
        m.setTestAccuracy(validationAccuracy - 0.02);
        m.setTestLoss(0.5);
        m.setEpochs(2);
        return dev.distillation.operator.managed.TrainerResult.toJson(m);
    }
}
