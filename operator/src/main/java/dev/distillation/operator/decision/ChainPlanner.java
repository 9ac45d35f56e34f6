package dev.distillation.operator.decision;

import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.CheckpointRef;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.observer.PodView;
import dev.distillation.operator.observer.PodView.Outcome;
import dev.distillation.operator.resources.Labels;
import dev.distillation.operator.resources.StagePodBuilder;
import dev.distillation.operator.resources.StageVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Given a chain's spec, its stages' fingerprints and the Pods and volumes the cluster holds,
 * decides every stage's state and which objects to create or delete. A pure function: the
 * cluster objects are the only memory, so the same inputs always give the same plan.
 *
 * <p>Rules, per stage in topological order:
 * <ol>
 *   <li>A result recorded on the stage's volume for the current fingerprint → Succeeded.</li>
 *   <li>A succeeded Pod of the current fingerprint → Succeeded (its metrics get recorded on the
 *       volume), or Failed when its termination message holds no readable metrics.</li>
 *   <li>A Pending or Running Pod of the current fingerprint → Pending / Running.</li>
 *   <li>More trainer failures than {@code backoffLimit} → Failed; its descendants Skipped.</li>
 *   <li>A teacher that failed or was skipped → Skipped.</li>
 *   <li>Otherwise the stage needs a Pod: it starts when its teacher succeeded, the chain has not
 *       failed, is not suspended, and fewer than {@code parallelism} stages are active; else Waiting.</li>
 * </ol>
 * Pods of an older fingerprint never count; active ones are deleted.
 */
public final class ChainPlanner {

    private ChainPlanner() {}

    public static Plan plan(DistillationChain chain, Map<String, String> fingerprints, ObservedChain observed, Instant now) {
        return new Planning(chain, fingerprints, observed, now).run();
    }

    private static final class Planning {
        private final DistillationChain chain;
        private final DistillationChainSpec spec;
        private final String chainName;
        private final Map<String, String> fingerprints;
        private final ObservedChain observed;
        private final String now;
        private final StageGraph graph;

        private final Map<String, StageStatus> states = new LinkedHashMap<>();
        private final List<String> volumesToCreate = new ArrayList<>();
        private final List<Plan.Launch> launches = new ArrayList<>();
        private final List<String> podsToDelete = new ArrayList<>();
        private final List<Plan.ResultRecord> results = new ArrayList<>();
        private final List<StageEvent> events = new ArrayList<>();
        /** Stages that need a new Pod, in topological order, with the pods seen so far. */
        private final List<String> candidates = new ArrayList<>();

        Planning(DistillationChain chain, Map<String, String> fingerprints, ObservedChain observed, Instant now) {
            this.chain = chain;
            this.spec = chain.getSpec();
            this.chainName = chain.getMetadata().getName();
            this.fingerprints = fingerprints;
            this.observed = observed;
            this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
            this.graph = StageGraph.of(spec);
        }

        Plan run() {
            deleteStalePods();
            for (StageSpec stage : graph.topologicalOrder()) {
                observe(stage);
            }
            schedule();
            List<StageStatus> ordered = new ArrayList<>();
            for (StageSpec s : spec.getStages()) {
                ordered.add(states.get(s.getName()));
            }
            return new Plan(ordered, volumesToCreate, launches, podsToDelete, results, events);
        }

        private void deleteStalePods() {
            observed.podsByStage().forEach((stage, pods) -> {
                String fp = fingerprints.get(stage);
                for (Pod p : pods) {
                    PodView v = new PodView(p);
                    if (!Objects.equals(fp, v.fingerprint()) && v.outcome() == Outcome.ACTIVE && !v.deleting()) {
                        podsToDelete.add(v.name());
                    }
                }
            });
        }

        /** Current-fingerprint Pods of the stage, oldest attempt first. */
        private List<PodView> current(String stage) {
            String fp = fingerprints.get(stage);
            return observed.pods(stage).stream().map(PodView::new)
                    .filter(v -> Objects.equals(fp, v.fingerprint()))
                    .sorted(Comparator.comparingInt(PodView::attempt))
                    .toList();
        }

        private void observe(StageSpec stage) {
            String name = stage.getName();
            String fp = fingerprints.get(name);
            StageStatus st = new StageStatus();
            st.setName(name);
            st.setFingerprint(fp);
            states.put(name, st);
            PersistentVolumeClaim volume = observed.volume(name);
            if (volume != null) {
                st.setCheckpoint(new CheckpointRef(volume.getMetadata().getName(), "/"));
            }

            if (recordedResult(volume, fp, st)) {
                return;
            }
            List<PodView> pods = current(name);
            st.setAttempts(pods.stream().mapToInt(PodView::fingerprintAttempt).max().orElse(0));
            st.setFailures(pods.stream().mapToInt(PodView::failuresThrough).max().orElse(0));
            if (!pods.isEmpty()) {
                st.setStartTime(pods.get(0).creationTimestamp());
                st.setPod(pods.get(pods.size() - 1).name());
            }

            Optional<PodView> succeeded = pods.stream().filter(v -> v.outcome() == Outcome.SUCCEEDED).reduce((a, b) -> b);
            if (succeeded.isPresent()) {
                finished(st, succeeded.get(), volume);
                return;
            }
            Optional<PodView> active = pods.stream().filter(v -> v.outcome() == Outcome.ACTIVE).reduce((a, b) -> b);
            if (active.isPresent()) {
                PodView v = active.get();
                st.setPod(v.name());
                st.setPhase("Running".equals(v.phase()) ? StagePhase.Running : StagePhase.Pending);
                Optional<String> pending = v.pendingMessage();
                st.setMessage(pending.orElse(v.deleting() ? "pod " + v.name() + " is being deleted" : null));
                if (v.unschedulableMessage().isPresent()) {
                    events.add(new StageEvent(StageEvent.Type.Warning, StageEvent.UNSCHEDULABLE, name, v.name() + ".unschedulable",
                            "stage " + name + ": pod " + v.name() + " cannot be scheduled: " + v.unschedulableMessage().get()));
                }
                return;
            }
            PodView last = pods.isEmpty() ? null : pods.get(pods.size() - 1);
            int backoffLimit = spec.effectiveBackoffLimit();
            if (last != null && st.getFailures() > backoffLimit) {
                st.setPhase(StagePhase.Failed);
                st.setCompletionTime(last.finishedAt());
                st.setMessage("failed after " + st.getAttempts() + " attempt" + (st.getAttempts() == 1 ? "" : "s")
                        + " (backoffLimit " + backoffLimit + "): " + last.failureMessage());
                events.add(new StageEvent(StageEvent.Type.Warning, StageEvent.FAILED, name, last.name() + ".failed",
                        "stage " + name + " " + st.getMessage()));
                return;
            }
            String teacher = stage.getTeacher();
            if (teacher != null) {
                StageStatus t = states.get(teacher);
                if (t.getPhase() == StagePhase.Failed || t.getPhase() == StagePhase.Skipped) {
                    st.setPhase(StagePhase.Skipped);
                    st.setMessage("not run: teacher stage '" + teacher + "' " + (t.getPhase() == StagePhase.Failed ? "failed" : "was skipped"));
                    return;
                }
            }
            st.setPhase(StagePhase.Waiting);
            if (last != null) {
                st.setMessage("retrying after " + last.failureMessage());
            }
            candidates.add(name);
        }

        /** A result recorded on the volume for this fingerprint: the stage is done, whatever Pods remain. */
        private boolean recordedResult(PersistentVolumeClaim volume, String fp, StageStatus st) {
            if (volume == null || volume.getMetadata().getAnnotations() == null) {
                return false;
            }
            Map<String, String> a = volume.getMetadata().getAnnotations();
            if (!Objects.equals(fp, a.get(Labels.RESULT_FINGERPRINT))) {
                return false;
            }
            TrainerResult r = TrainerResult.parse(a.get(Labels.RESULT_METRICS));
            if (!r.ok()) {
                return false;
            }
            st.setPhase(StagePhase.Succeeded);
            st.setMetrics(r.metrics());
            st.setPod(a.get(Labels.RESULT_POD));
            st.setAttempts(parseInt(a.get(Labels.RESULT_ATTEMPTS), 1));
            st.setFailures(parseInt(a.get(Labels.RESULT_FAILURES), 0));
            st.setStartTime(a.get(Labels.RESULT_START_TIME));
            st.setCompletionTime(a.get(Labels.RESULT_COMPLETION_TIME));
            return true;
        }

        private void finished(StageStatus st, PodView pod, PersistentVolumeClaim volume) {
            String name = st.getName();
            st.setPod(pod.name());
            st.setCompletionTime(pod.finishedAt());
            TrainerResult r = TrainerResult.parse(pod.terminationMessage().orElse(null));
            if (!r.ok()) {
                st.setPhase(StagePhase.Failed);
                st.setMessage("pod " + pod.name() + " exited successfully but " + r.error());
                events.add(new StageEvent(StageEvent.Type.Warning, StageEvent.FAILED, name, pod.name() + ".failed",
                        "stage " + name + ": " + st.getMessage()));
                return;
            }
            st.setPhase(StagePhase.Succeeded);
            st.setMetrics(r.metrics());
            st.setMessage(null);
            if (volume != null) {
                Map<String, String> a = new LinkedHashMap<>();
                a.put(Labels.RESULT_FINGERPRINT, st.getFingerprint());
                a.put(Labels.RESULT_METRICS, TrainerResult.toJson(r.metrics()));
                a.put(Labels.RESULT_POD, pod.name());
                a.put(Labels.RESULT_ATTEMPTS, Integer.toString(st.getAttempts()));
                a.put(Labels.RESULT_FAILURES, Integer.toString(st.getFailures()));
                putIfNotNull(a, Labels.RESULT_START_TIME, st.getStartTime());
                putIfNotNull(a, Labels.RESULT_COMPLETION_TIME, st.getCompletionTime());
                results.add(new Plan.ResultRecord(name, volume.getMetadata().getName(), a, seconds(st.getStartTime(), st.getCompletionTime())));
                events.add(new StageEvent(StageEvent.Type.Normal, StageEvent.SUCCEEDED, name, pod.name() + ".succeeded",
                        "stage " + name + " succeeded: test accuracy " + Percent.of(r.metrics().getTestAccuracy())));
            }
        }

        private void schedule() {
            String failed = states.values().stream().filter(s -> s.getPhase() == StagePhase.Failed)
                    .map(StageStatus::getName).findFirst().orElse(null);
            long active = states.values().stream()
                    .filter(s -> s.getPhase() == StagePhase.Pending || s.getPhase() == StagePhase.Running).count();
            int parallelism = spec.effectiveParallelism();
            for (String name : candidates) {
                StageStatus st = states.get(name);
                String teacher = graph.stage(name).getTeacher();
                if (teacher != null && states.get(teacher).getPhase() != StagePhase.Succeeded) {
                    if (failed != null) {
                        skip(st, "not run: the chain failed (stage '" + failed + "' failed)");
                    } else {
                        st.setMessage("waiting for teacher stage '" + teacher + "'");
                    }
                    continue;
                }
                if (failed != null) {
                    skip(st, "not run: the chain failed (stage '" + failed + "' failed)");
                    continue;
                }
                if (spec.isSuspended()) {
                    st.setMessage("chain is suspended: no new Pods start until spec.suspend is false");
                    continue;
                }
                if (hasStalePods(name)) {
                    st.setMessage("waiting for the Pods of the stage's previous spec to stop");
                    continue;
                }
                if (active >= parallelism) {
                    st.setMessage("waiting for a free slot: " + active + " of " + parallelism + " stages running (spec.parallelism)");
                    continue;
                }
                launch(st);
                active++;
            }
        }

        private void skip(StageStatus st, String message) {
            st.setPhase(StagePhase.Skipped);
            st.setMessage(message);
        }

        private boolean hasStalePods(String stage) {
            String fp = fingerprints.get(stage);
            return observed.pods(stage).stream().map(PodView::new)
                    .anyMatch(v -> !Objects.equals(fp, v.fingerprint()) && v.outcome() == Outcome.ACTIVE);
        }

        private void launch(StageStatus st) {
            String name = st.getName();
            List<PodView> all = observed.pods(name).stream().map(PodView::new).toList();
            int number = all.stream().mapToInt(PodView::attempt).max().orElse(0) + 1;
            int fpAttempt = st.getAttempts() + 1;
            List<PodView> pods = current(name);
            Plan.RetryReason reason = null;
            if (!pods.isEmpty()) {
                PodView last = pods.get(pods.size() - 1);
                reason = last.outcome() == Outcome.TRAINER_FAILED ? Plan.RetryReason.TrainerFailure : Plan.RetryReason.Disruption;
            } else if (fpAttempt > 1) {
                reason = Plan.RetryReason.Disruption;
            }
            StagePodBuilder.Attempt attempt = new StagePodBuilder.Attempt(number, fpAttempt, st.getFailures());
            launches.add(new Plan.Launch(name, st.getFingerprint(), attempt, reason));
            if (observed.volume(name) == null) {
                volumesToCreate.add(name);
            }
            String podName = StagePodBuilder.name(chainName, name, number);
            st.setCheckpoint(new CheckpointRef(StageVolumeBuilder.name(chainName, name), "/"));
            st.setPhase(StagePhase.Pending);
            st.setPod(podName);
            st.setAttempts(fpAttempt);
            if (st.getStartTime() == null) {
                st.setStartTime(now);
            }
            String retry = st.getMessage();
            String message = "stage " + name + " started: pod " + podName + ", attempt " + fpAttempt
                    + (reason == null ? "" : " (" + (reason == Plan.RetryReason.TrainerFailure
                    ? "retry " + st.getFailures() + " of " + spec.effectiveBackoffLimit() : "not counted: the previous Pod was lost to a disruption") + ")");
            st.setMessage(retry);
            if (reason != null) {
                events.add(new StageEvent(StageEvent.Type.Warning, StageEvent.RETRYING, name, podName + ".retrying",
                        "stage " + name + " " + retry));
            }
            events.add(new StageEvent(StageEvent.Type.Normal, StageEvent.STARTED, name, podName + ".started", message));
        }
    }

    static Double seconds(String start, String end) {
        if (start == null || end == null) {
            return null;
        }
        try {
            return Duration.between(Instant.parse(start), Instant.parse(end)).toMillis() / 1000.0;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void putIfNotNull(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** Accuracy as a percentage with one decimal, e.g. 0.8412 → "84.1%". */
    public static final class Percent {
        private Percent() {}

        public static String of(Double accuracy) {
            return accuracy == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", accuracy * 100);
        }
    }
}
