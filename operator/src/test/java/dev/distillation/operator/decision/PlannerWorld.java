package dev.distillation.operator.decision;

import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.managed.ObjectNames;
import dev.distillation.operator.managed.RecordedResult;
import dev.distillation.operator.managed.StageAnnotations;
import dev.distillation.operator.managed.TrainerResult;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.resources.StageVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.distillation.operator.TestChains.withStatus;

/** A cluster state built step by step: the chain (teacher → assistant → student, student-direct, student-alone) and its objects. */
final class PlannerWorld {

    static final Instant NOW = ChainPlannerTest.NOW;

    final DistillationChain chain = TestChains.paper();
    final List<Pod> pods = new ArrayList<>();
    final List<PersistentVolumeClaim> volumes = new ArrayList<>();

    PlannerWorld spec(Consumer<DistillationChain> edit) {
        edit.accept(chain);
        return this;
    }

    String fp(String stage) {
        return Fingerprints.of(chain.getSpec()).get(stage);
    }

    /** A Pod of the current fingerprint, attempt n, with failuresBefore computed like the operator does. */
    PlannerWorld pod(String stage, int attempt, int failuresBefore, PodStatus status) {
        return podWithFingerprint(stage, fp(stage), attempt, attempt, failuresBefore, status);
    }

    PlannerWorld podWithFingerprint(String stage, String fingerprint, int attempt, int fpAttempt, int failuresBefore, PodStatus status) {
        pods.add(withStatus(TestChains.pod(chain, stage, fingerprint, attempt, fpAttempt, failuresBefore), status));
        volume(stage);
        return this;
    }

    /** Binds the stage's Pods to {@code node}, as the scheduler does. */
    PlannerWorld onNode(String stage, String node) {
        pods.stream().filter(p -> stage.equals(p.getMetadata().getLabels().get(Labels.STAGE))).forEach(p -> p.getSpec().setNodeName(node));
        return this;
    }

    PlannerWorld volume(String stage) {
        if (volumes.stream().noneMatch(v -> v.getMetadata().getLabels().get(Labels.STAGE).equals(stage))) {
            volumes.add(StageVolumeBuilder.build(chain, stage));
        }
        return this;
    }

    /** A result recorded on the stage's volume by this chain, as the operator writes it. */
    PlannerWorld recorded(String stage, String fingerprint, double accuracy) {
        return recordedBy(chain.getMetadata().getUid(), stage, fingerprint, accuracy, null);
    }

    /** A result recorded on the stage's volume by the chain with {@code uid}, completed at {@code completionTime}. */
    PlannerWorld recordedBy(String uid, String stage, String fingerprint, double accuracy, String completionTime) {
        volume(stage);
        PersistentVolumeClaim v = volumes.stream().filter(x -> x.getMetadata().getLabels().get(Labels.STAGE).equals(stage)).findFirst().orElseThrow();
        v.getMetadata().setAnnotations(StageAnnotations.ofResult(new RecordedResult(fingerprint,
                TrainerResult.parse(TestChains.metricsJson(accuracy)).metrics(), ObjectNames.pod(chain.getMetadata().getName(), stage, 1),
                1, 0, null, completionTime, uid, null)));
        return this;
    }

    PlannerWorld done(String stage, double accuracy) {
        return recorded(stage, fp(stage), accuracy);
    }

    /** Pods of the stage's current fingerprint recorded on its volume as lost to disruptions (attempt numbers). */
    PlannerWorld lost(String stage, int... attempts) {
        volume(stage);
        PersistentVolumeClaim v = volumes.stream().filter(x -> x.getMetadata().getLabels().get(Labels.STAGE).equals(stage)).findFirst().orElseThrow();
        v.getMetadata().setAnnotations(StageAnnotations.ofDisruptedPods(fp(stage), Arrays.stream(attempts)
                .mapToObj(a -> ObjectNames.pod(chain.getMetadata().getName(), stage, a)).toList()));
        return this;
    }

    final Map<String, String> held = new LinkedHashMap<>();

    PlannerWorld held(String stage) {
        held.put(stage, "Kubernetes refused pod x (Forbidden): exceeded quota; next try at 2026-01-01T12:00:10Z (refused 1 time)");
        return this;
    }

    Plan plan() {
        return ChainPlanner.plan(chain, Fingerprints.of(chain.getSpec()), ObservedChain.of(pods, volumes), held, NOW);
    }
}
