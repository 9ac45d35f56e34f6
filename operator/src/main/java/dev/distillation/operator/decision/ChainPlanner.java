package dev.distillation.operator.decision;

import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.CheckpointRef;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.managed.ObjectNames;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.observer.PodView;
import dev.distillation.operator.observer.PodView.Outcome;
import dev.distillation.operator.resources.StagePodBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Given a chain's spec, its stages' fingerprints and the Pods and volumes the cluster holds,
 * decides every stage's state and which objects to create or delete. A pure function: the
 * cluster objects are the only memory, so the same inputs always give the same plan.
 *
 * <p>Rules, per stage in topological order ({@link StageReader} applies 1 to 5, {@link SlotScheduler} 6):
 * <ol>
 *   <li>A result recorded on the stage's volume for the current fingerprint → Succeeded.</li>
 *   <li>A succeeded Pod of the current fingerprint → Succeeded (its metrics get recorded on the
 *       volume), or Failed when its termination message holds no readable metrics.</li>
 *   <li>A Pending or Running Pod of the current fingerprint → Pending / Running.</li>
 *   <li>A trainer failure that a retry repeats (bad input, training failed, out of memory), more
 *       trainer crashes than {@code backoffLimit}, or more Pods lost to disruptions than
 *       {@code disruptionLimit} → Failed; its descendants Skipped.</li>
 *   <li>A teacher that failed or was skipped → Skipped.</li>
 *   <li>Otherwise the stage needs a Pod: it starts when its teacher succeeded, the chain has not
 *       failed, is not suspended, fewer than {@code parallelism} stages are active, and the stage is
 *       not held (the API server refused its Pod or volume, and its next try is not due); else Waiting.</li>
 * </ol>
 * Pods of an older fingerprint never count; active ones are deleted.
 */
public final class ChainPlanner {

    private ChainPlanner() {}

    public static Plan plan(DistillationChain chain, Map<String, String> fingerprints, ObservedChain observed, Instant now) {
        return plan(chain, fingerprints, observed, Map.of(), now);
    }

    /** {@code held}: stages that may not start now, each with the message saying why (a refusal, and when it is tried again). */
    public static Plan plan(DistillationChain chain, Map<String, String> fingerprints, ObservedChain observed, Map<String, String> held,
                            Instant now) {
        return plan(chain, fingerprints, observed, held, Set.of(), now);
    }

    /**
     * {@code tolerated}: stages whose failure does not fail the chain (the candidates of a stage that can still choose
     * among the others); other stages go on starting after one of them failed.
     */
    public static Plan plan(DistillationChain chain, Map<String, String> fingerprints, ObservedChain observed, Map<String, String> held,
                            Set<String> tolerated, Instant now) {
        return new Planning(chain, fingerprints, observed, held, tolerated, now).run();
    }

    private static final class Planning {
        private final DistillationChainSpec spec;
        private final String chainName;
        private final Map<String, String> fingerprints;
        private final ObservedChain observed;
        private final String now;
        private final StageGraph graph;
        private final StageReader reader;

        private final Map<String, StageStatus> states = new LinkedHashMap<>();
        private final List<String> volumesToCreate = new ArrayList<>();
        private final List<Plan.Launch> launches = new ArrayList<>();
        private final List<Plan.ResultRecord> results = new ArrayList<>();
        private final List<Plan.DisruptionRecord> disruptions = new ArrayList<>();
        private final List<StageEvent> events = new ArrayList<>();

        private final Map<String, String> held;
        private final DistillationChain chain;
        /** Whether the chain's volumes attach to one node at a time (storage.accessModes without a multi-node mode). */
        private final boolean singleNodeVolumes;

        private final Set<String> tolerated;

        Planning(DistillationChain chain, Map<String, String> fingerprints, ObservedChain observed, Map<String, String> held,
                 Set<String> tolerated, Instant now) {
            this.held = held;
            this.tolerated = tolerated;
            this.chain = chain;
            this.spec = chain.getSpec();
            this.singleNodeVolumes = spec.getStorage() == null || spec.getStorage().singleNode();
            this.chainName = chain.getMetadata().getName();
            this.fingerprints = fingerprints;
            this.observed = observed;
            this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
            this.graph = StageGraph.of(spec);
            this.reader = new StageReader(observed, chain.getMetadata().getUid(), spec.effectiveBackoffLimit(), spec.effectiveDisruptionLimit(),
                    spec.getDataset() != null && spec.getDataset().getValidation() != null);
        }

        Plan run() {
            List<String> waiting = new ArrayList<>();
            for (StageSpec stage : graph.topologicalOrder()) {
                String teacher = stage.getTeacher();
                StageReader.Reading reading = reader.read(stage, fingerprints.get(stage.getName()),
                        teacher == null ? null : states.get(teacher));
                states.put(stage.getName(), reading.status());
                if (reading.result() != null) {
                    results.add(reading.result());
                }
                if (reading.disruptions() != null) {
                    disruptions.add(reading.disruptions());
                }
                events.addAll(reading.events());
                if (reading.needsPod()) {
                    waiting.add(stage.getName());
                }
            }
            VolumePlacement.Usage usage = singleNodeVolumes ? usage() : null;
            for (String stage : SlotScheduler.choose(waiting, states, graph, spec, this::hasStalePods, held, tolerated)) {
                StageStatus st = states.get(stage);
                if (usage == null) {
                    launch(st, null);
                    continue;
                }
                List<String> claims = StagePodBuilder.claims(chain, stage);
                VolumePlacement.Decision where = VolumePlacement.place(claims, usage);
                if (where instanceof VolumePlacement.Wait wait) {
                    st.setMessage(wait.message());
                    continue;
                }
                String pod = launch(st, where instanceof VolumePlacement.OnNode on ? on.node() : null);
                usage.add(pod, where instanceof VolumePlacement.OnNode on ? on.node() : null, claims);
            }
            List<StageStatus> ordered = spec.getStages().stream().map(s -> states.get(s.getName())).toList();
            return new Plan(ordered, volumesToCreate, launches, stalePodsToDelete(), results, disruptions, events);
        }

        /** The claims the chain's active Pods (deleting ones included: they still hold theirs) mount, and where. */
        private VolumePlacement.Usage usage() {
            VolumePlacement.Usage usage = new VolumePlacement.Usage();
            observed.podsByStage().values().forEach(pods -> pods.stream().filter(p -> p.outcome() == Outcome.ACTIVE)
                    .forEach(p -> usage.add(p.name(), p.node(), p.claims())));
            return usage;
        }

        private boolean isStale(String stage, PodView pod) {
            return !Objects.equals(fingerprints.get(stage), pod.fingerprint()) && pod.outcome() == Outcome.ACTIVE;
        }

        private boolean hasStalePods(String stage) {
            return observed.pods(stage).stream().anyMatch(v -> isStale(stage, v));
        }

        private List<String> stalePodsToDelete() {
            List<String> names = new ArrayList<>();
            observed.podsByStage().forEach((stage, pods) -> pods.stream()
                    .filter(v -> isStale(stage, v) && !v.deleting()).forEach(v -> names.add(v.name())));
            return names;
        }

        /** The next attempt of a Waiting stage: numbered after every Pod the stage had, of any fingerprint. @return the Pod's name */
        private String launch(StageStatus st, String node) {
            String name = st.getName();
            Set<String> lost = observed.disruptedPods(name, st.getFingerprint());
            int number = IntStream.concat(observed.pods(name).stream().mapToInt(v -> v.attempt().number()),
                    lost.stream().mapToInt(ObjectNames::attemptOfPod)).max().orElse(0) + 1;
            int fingerprintAttempt = st.getAttempts() + 1;
            List<PodView> pods = reader.current(name, st.getFingerprint());
            Plan.RetryReason reason = pods.isEmpty() ? (lost.isEmpty() ? null : Plan.RetryReason.Disruption)
                    : pods.get(pods.size() - 1).outcome() == Outcome.TRAINER_FAILED ? Plan.RetryReason.TrainerFailure
                    : Plan.RetryReason.Disruption;
            launches.add(new Plan.Launch(name, st.getFingerprint(), new Attempt(number, fingerprintAttempt, st.getFailures()), reason, node));
            if (observed.volume(name).isEmpty()) {
                volumesToCreate.add(name);
            }
            String podName = ObjectNames.pod(chainName, name, number);
            st.setCheckpoint(new CheckpointRef(ObjectNames.volume(chainName, name), "/"));
            st.setPhase(StagePhase.Pending);
            st.setPod(podName);
            st.setAttempts(fingerprintAttempt);
            if (st.getStartTime() == null) {
                st.setStartTime(now);
            }
            if (reason != null) {
                events.add(StageEvent.retrying(name, podName, StageMessages.retrying(name, st.getMessage())));
            }
            events.add(StageEvent.started(name, podName, StageMessages.started(name, podName, fingerprintAttempt, reason,
                    st.getFailures(), spec.effectiveBackoffLimit())));
            return podName;
        }
    }
}
