package dev.distillation.operator.decision;

import dev.distillation.api.v1alpha1.CheckpointRef;
import dev.distillation.api.v1alpha1.StageMetrics;
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
    private final String chainUid;
    private final int backoffLimit;
    private final int disruptionLimit;
    private final boolean validationSplit;

    /**
     * {@code chainUid} tells the results this chain recorded from those an earlier chain of its name left behind;
     * {@code validationSplit}: the chain holds out a validation split, so every trainer must report its accuracy there.
     */
    StageReader(ObservedChain observed, String chainUid, int backoffLimit, int disruptionLimit, boolean validationSplit) {
        this.validationSplit = validationSplit;
        this.observed = observed;
        this.chainUid = chainUid;
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
        if (recorded.isPresent() && recorded.get().recordedBy(chainUid)) {
            return Reading.of(recordedResult(st, recorded.get()));
        }
        // a result an earlier chain of this name left on the volume counts only once a Pod of this chain
        // has checked it: the trainer reuses the folder when its fingerprint and checksums match, else trains
        Optional<RecordedResult> kept = recorded;
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
        Reading reading = readPods(stage, st, pods, disruptions, teacher, volume, kept);
        if (kept.isPresent() && volume.isPresent() && reading.status().getMessage() == null
                && (reading.needsPod() || reading.status().getPhase() == StagePhase.Pending || reading.status().getPhase() == StagePhase.Running)) {
            reading.status().setMessage(StageMessages.checkingKeptResult(volume.get(), kept.get().completionTime()));
        }
        return reading.with(disruptions.record());
    }

    private Reading readPods(StageSpec stage, StageStatus st, List<PodView> pods, Disruptions disruptions, StageStatus teacher,
                             Optional<String> volume, Optional<RecordedResult> kept) {
        String name = stage.getName();
        Optional<PodView> succeeded = last(pods, Outcome.SUCCEEDED);
        if (succeeded.isPresent()) {
            return finished(st, succeeded.get(), volume, kept);
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

    /**
     * The stage succeeded with {@code metrics}: where the trainer says it left the model for serving
     * (its metrics' {@code export} folder, on the stage's volume) becomes the stage's export; a trainer
     * that names none (one from before exports) left none, and none is shown.
     */
    private static void succeeded(StageStatus st, StageMetrics metrics) {
        st.setPhase(StagePhase.Succeeded);
        st.setMetrics(metrics);
        String folder = metrics == null ? null : metrics.getExport();
        st.setExport(st.getCheckpoint() == null || folder == null || folder.isBlank() ? null
                : new CheckpointRef(st.getCheckpoint().getClaimName(), "/" + folder.replaceFirst("^/+", "")));
    }

    /** Rule 1: a result recorded on the volume for this fingerprint; the stage is done, whatever Pods remain. */
    private static StageStatus recordedResult(StageStatus st, RecordedResult r) {
        succeeded(st, r.metrics());
        st.setPod(r.pod());
        st.setAttempts(r.attempts());
        st.setFailures(r.failures());
        st.setStartTime(r.startTime());
        st.setCompletionTime(r.completionTime());
        st.setReusedFrom(r.reusedFrom());
        if (r.reusedFrom() != null && st.getCheckpoint() != null) {
            st.setMessage(StageMessages.reused(st.getCheckpoint().getClaimName(), r.reusedFrom()));
        }
        return st;
    }

    /**
     * Rule 2: a succeeded Pod; its metrics get recorded on the volume, or the stage fails when they are
     * unreadable. When an earlier chain had {@code kept} a result there and the Pod reported exactly
     * it, the trainer found the folder intact and reused it: the stage says so, and from when.
     */
    private Reading finished(StageStatus st, PodView pod, Optional<String> volume, Optional<RecordedResult> kept) {
        String name = st.getName();
        st.setPod(pod.name());
        st.setCompletionTime(pod.finishedAt());
        TrainerResult r = TrainerResult.parse(pod.terminationMessage().orElse(null), validationSplit);
        if (!r.ok()) {
            st.setPhase(StagePhase.Failed);
            st.setMessage(StageMessages.exitedWithoutMetrics(pod.name(), r.error()));
            return Reading.of(st, StageEvent.failed(name, pod.name(), StageMessages.failedWithoutMetrics(name, st.getMessage())));
        }
        succeeded(st, r.metrics());
        st.setMessage(null);
        if (volume.isEmpty()) {
            return Reading.of(st);
        }
        String reusedFrom = kept.filter(k -> r.metrics().equals(k.metrics()))
                .map(k -> k.reusedFrom() != null ? k.reusedFrom() : Objects.requireNonNullElse(k.completionTime(), "unknown"))
                .orElse(null);
        st.setReusedFrom(reusedFrom);
        if (reusedFrom != null) {
            st.setMessage(StageMessages.reused(volume.get(), reusedFrom));
        }
        RecordedResult result = new RecordedResult(st.getFingerprint(), r.metrics(), pod.name(), st.getAttempts(), st.getFailures(),
                st.getStartTime(), st.getCompletionTime(), chainUid, reusedFrom);
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
