package dev.distillation.operator.decision;

import dev.distillation.api.v1alpha1.CheckpointRef;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.managed.RecordedResult;
import dev.distillation.operator.managed.TrainerResult;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.observer.PodView;
import dev.distillation.operator.observer.PodView.Outcome;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads one stage's state from what the cluster holds for its current fingerprint: rules 1 to 5
 * of {@link ChainPlanner}, and Waiting for a stage that needs a new Pod. Pure.
 */
final class StageReader {

    /** A stage's state, the result and disruptions to record, the events to tell, and whether it needs a new Pod. */
    record Reading(StageStatus status, boolean needsPod, Plan.ResultRecord result, Plan.DisruptionRecord disruptions,
                   List<StageEvent> events) {

        static Reading of(StageStatus status, StageEvent... events) {
            return new Reading(status, false, null, null, List.of(events));
        }

        Reading with(Plan.DisruptionRecord record) {
            return new Reading(status, needsPod, result, record, events);
        }
    }

    private final ObservedChain observed;
    private final int backoffLimit;
    private final int disruptionLimit;

    StageReader(ObservedChain observed, int backoffLimit, int disruptionLimit) {
        this.observed = observed;
        this.backoffLimit = backoffLimit;
        this.disruptionLimit = disruptionLimit;
    }

    /** The stage's Pods of {@code fingerprint}, oldest attempt first. */
    List<PodView> current(String stage, String fingerprint) {
        return observed.pods(stage).stream()
                .filter(v -> Objects.equals(fingerprint, v.fingerprint()))
                .sorted(Comparator.comparingInt(v -> v.attempt().number()))
                .toList();
    }

    /** {@code teacher} is the teacher stage's state (read before this one), or null for a stage without teacher. */
    Reading read(StageSpec stage, String fingerprint, StageStatus teacher) {
        String name = stage.getName();
        StageStatus st = new StageStatus();
        st.setName(name);
        st.setFingerprint(fingerprint);
        Optional<String> volume = observed.volume(name);
        volume.ifPresent(v -> st.setCheckpoint(new CheckpointRef(v, "/")));

        Optional<RecordedResult> recorded = observed.recordedResult(name).filter(r -> Objects.equals(fingerprint, r.fingerprint()));
        if (recorded.isPresent()) {
            return Reading.of(recordedResult(st, recorded.get()));
        }
        List<PodView> pods = current(name, fingerprint);
        Disruptions disruptions = Disruptions.of(observed, name, fingerprint, pods);
        st.setAttempts(Math.max(pods.stream().mapToInt(v -> v.attempt().fingerprintAttempt()).max().orElse(0),
                (int) Stream.concat(pods.stream().map(PodView::name), disruptions.lost().stream()).distinct().count()));
        st.setFailures(pods.stream().mapToInt(PodView::failuresThrough).max().orElse(0));
        st.setDisruptions(disruptions.count() == 0 ? null : disruptions.count());
        if (!pods.isEmpty()) {
            st.setStartTime(pods.get(0).creationTimestamp());
            st.setPod(pods.get(pods.size() - 1).name());
        }
        return readPods(stage, st, pods, disruptions, teacher, volume).with(disruptions.record());
    }

    private Reading readPods(StageSpec stage, StageStatus st, List<PodView> pods, Disruptions disruptions, StageStatus teacher,
                             Optional<String> volume) {
        String name = stage.getName();
        Optional<PodView> succeeded = last(pods, Outcome.SUCCEEDED);
        if (succeeded.isPresent()) {
            return finished(st, succeeded.get(), volume);
        }
        Optional<PodView> active = last(pods, Outcome.ACTIVE);
        if (active.isPresent()) {
            return active(st, active.get());
        }
        PodView last = pods.isEmpty() ? null : pods.get(pods.size() - 1);
        if (last != null && last.outcome() == Outcome.FAILED_FOR_GOOD) {
            return failed(st, last, StageMessages.failedNotRetried(last.failureMessage()));
        }
        if (last != null && st.getFailures() > backoffLimit) {
            return failed(st, last, StageMessages.failedAfter(st.getAttempts(), backoffLimit, last.failureMessage()));
        }
        if (disruptions.count() > disruptionLimit) {
            st.setPhase(StagePhase.Failed);
            st.setCompletionTime(last == null ? null : last.finishedAt());
            st.setMessage(StageMessages.lostToDisruptions(disruptions.count(), disruptionLimit, disruptions.lastMessage()));
            String pod = last != null && last.attempt().number() > disruptions.highestAttempt() ? last.name() : disruptions.newest();
            return Reading.of(st, StageEvent.failed(name, pod, StageMessages.failed(name, st.getMessage())));
        }
        if (teacher != null && (teacher.getPhase() == StagePhase.Failed || teacher.getPhase() == StagePhase.Skipped)) {
            st.setPhase(StagePhase.Skipped);
            st.setMessage(StageMessages.teacherNotRun(stage.getTeacher(), teacher.getPhase()));
            return Reading.of(st);
        }
        st.setPhase(StagePhase.Waiting);
        if (last != null && !(disruptions.count() > 0 && last.attempt().number() < disruptions.highestAttempt())) {
            st.setMessage(StageMessages.retryingAfter(last.failureMessage()));
        } else if (disruptions.count() > 0) {
            st.setMessage(StageMessages.retryingAfter(disruptions.lastMessage()));
        }
        return new Reading(st, true, null, null, List.of());
    }

    /** Rule 4: the stage failed for good with {@code message}; {@code last} is its last Pod. */
    private static Reading failed(StageStatus st, PodView last, String message) {
        st.setPhase(StagePhase.Failed);
        st.setCompletionTime(last.finishedAt());
        st.setMessage(message);
        return Reading.of(st, StageEvent.failed(st.getName(), last.name(), StageMessages.failed(st.getName(), message)));
    }

    private static Optional<PodView> last(List<PodView> pods, Outcome outcome) {
        return pods.stream().filter(v -> v.outcome() == outcome).reduce((a, b) -> b);
    }

    /** Rule 1: a result recorded on the volume for this fingerprint; the stage is done, whatever Pods remain. */
    private static StageStatus recordedResult(StageStatus st, RecordedResult r) {
        st.setPhase(StagePhase.Succeeded);
        st.setMetrics(r.metrics());
        st.setPod(r.pod());
        st.setAttempts(r.attempts());
        st.setFailures(r.failures());
        st.setStartTime(r.startTime());
        st.setCompletionTime(r.completionTime());
        return st;
    }

    /** Rule 2: a succeeded Pod; its metrics get recorded on the volume, or the stage fails when they are unreadable. */
    private static Reading finished(StageStatus st, PodView pod, Optional<String> volume) {
        String name = st.getName();
        st.setPod(pod.name());
        st.setCompletionTime(pod.finishedAt());
        TrainerResult r = TrainerResult.parse(pod.terminationMessage().orElse(null));
        if (!r.ok()) {
            st.setPhase(StagePhase.Failed);
            st.setMessage(StageMessages.exitedWithoutMetrics(pod.name(), r.error()));
            return Reading.of(st, StageEvent.failed(name, pod.name(), StageMessages.failedWithoutMetrics(name, st.getMessage())));
        }
        st.setPhase(StagePhase.Succeeded);
        st.setMetrics(r.metrics());
        st.setMessage(null);
        if (volume.isEmpty()) {
            return Reading.of(st);
        }
        RecordedResult result = new RecordedResult(st.getFingerprint(), r.metrics(), pod.name(), st.getAttempts(), st.getFailures(),
                st.getStartTime(), st.getCompletionTime());
        return new Reading(st, false, new Plan.ResultRecord(name, volume.get(), result), null, List.of(
                StageEvent.succeeded(name, pod.name(), StageMessages.succeeded(name, r.metrics().getTestAccuracy()))));
    }

    /** Rule 3: a Pending or Running Pod. */
    private static Reading active(StageStatus st, PodView pod) {
        String name = st.getName();
        st.setPod(pod.name());
        st.setPhase("Running".equals(pod.phase()) ? StagePhase.Running : StagePhase.Pending);
        st.setMessage(pod.pendingMessage().orElse(pod.deleting() ? StageMessages.podBeingDeleted(pod.name()) : null));
        return pod.unschedulableMessage()
                .map(reason -> Reading.of(st, StageEvent.unschedulable(name, pod.name(), StageMessages.unschedulable(name, pod.name(), reason))))
                .orElseGet(() -> Reading.of(st));
    }
}
