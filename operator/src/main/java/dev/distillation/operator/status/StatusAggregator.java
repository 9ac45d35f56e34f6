package dev.distillation.operator.status;

import dev.distillation.api.graph.StageGraph;
import dev.distillation.api.v1alpha1.ChainPhase;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainStatus;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.progress.LiveProgress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place a chain's status is computed: phase, conditions, progress, best accuracy and
 * summary, from the stages' states. Conditions have the Kubernetes shape; a condition's
 * {@code lastTransitionTime} is kept from the previous status while its {@code status} is unchanged.
 */
public final class StatusAggregator {

    public static final String VALID = "Valid";
    public static final String PROGRESSING = "Progressing";
    public static final String READY = "Ready";
    public static final String FAILED = "Failed";

    private StatusAggregator() {}

    /** Why a chain is invalid: the reason of its Valid=False condition and of its Warning event. */
    public enum InvalidReason {
        /** The spec breaks a rule of the CRD or the validator; nothing runs. */
        InvalidSpec,
        /** The spec asks for what the operator's policy does not allow; nothing runs. */
        PolicyViolation,
        /** The API server refused an object the spec describes (Invalid, BadRequest); the stage is tried again later. */
        RefusedByKubernetes
    }

    /** The status of a chain whose spec failed validation or the policy: nothing runs. */
    public static DistillationChainStatus invalid(DistillationChain chain, List<ValidationError> errors, InvalidReason reason, Instant now) {
        DistillationChainStatus previous = chain.getStatus();
        // Keep what the last valid spec achieved visible, but it describes no running work.
        return invalid(chain, previous == null ? null : previous.getStages(), previous, errors, reason, now);
    }

    /** The status of a chain with stages in {@code stages} whose Pod or volume the API server refused as invalid. */
    public static DistillationChainStatus refused(DistillationChain chain, List<StageStatus> stages, List<ValidationError> errors,
                                                  Instant now) {
        DistillationChainStatus current = aggregate(chain, stages, now);
        return invalid(chain, stages, current, errors, InvalidReason.RefusedByKubernetes, now);
    }

    private static DistillationChainStatus invalid(DistillationChain chain, List<StageStatus> stages, DistillationChainStatus progress,
                                                   List<ValidationError> errors, InvalidReason reason, Instant now) {
        String message = errors.stream().map(ValidationError::toString).collect(Collectors.joining("; "));
        DistillationChainStatus status = new DistillationChainStatus();
        status.setObservedGeneration(chain.getMetadata().getGeneration());
        status.setPhase(ChainPhase.Invalid);
        status.setStages(stages);
        if (progress != null) {
            status.setProgress(progress.getProgress());
            status.setBestAccuracy(progress.getBestAccuracy());
            status.setSummary(progress.getSummary());
        }
        Conditions c = new Conditions(chain, now);
        c.set(VALID, false, reason.name(), message);
        c.set(PROGRESSING, false, reason.name(), "the spec is invalid; fix it to continue");
        c.set(READY, false, reason.name(), "the spec is invalid");
        c.set(FAILED, false, reason.name(), "the spec is invalid; no stage ran for it");
        status.setConditions(c.list());
        return status;
    }

    public static DistillationChainStatus aggregate(DistillationChain chain, List<StageStatus> stages, Instant now) {
        DistillationChainStatus status = new DistillationChainStatus();
        status.setObservedGeneration(chain.getMetadata().getGeneration());
        status.setStages(stages);
        int total = stages.size();
        long succeeded = stages.stream().filter(s -> s.getPhase() == StagePhase.Succeeded).count();
        status.setProgress(succeeded + "/" + total);
        String active = stages.stream()
                .filter(s -> s.getPhase() == StagePhase.Pending || s.getPhase() == StagePhase.Running)
                .map(StatusAggregator::active).collect(Collectors.joining(","));
        status.setActiveStages(active.isEmpty() ? null : active);
        status.setTraining(LiveProgress.summary(stages));
        status.setBestAccuracy(bestAccuracy(chain, stages));
        status.setSummary(summary(chain, stages));

        Optional<StageStatus> failed = stages.stream().filter(s -> s.getPhase() == StagePhase.Failed).findFirst();
        boolean started = stages.stream().anyMatch(s -> s.getPhase() == StagePhase.Running || s.getPhase().isTerminal()
                || (s.getFailures() != null && s.getFailures() > 0));
        ChainPhase phase;
        if (failed.isPresent()) {
            phase = ChainPhase.Failed;
        } else if (succeeded == total) {
            phase = ChainPhase.Succeeded;
        } else if (chain.getSpec().isSuspended()) {
            phase = ChainPhase.Suspended;
        } else if (!started) {
            phase = ChainPhase.Pending;
        } else {
            phase = ChainPhase.Running;
        }
        status.setPhase(phase);

        String done = succeeded + "/" + total + " stages succeeded";
        Conditions c = new Conditions(chain, now);
        c.set(VALID, true, "SpecValid", "the spec passed validation");
        switch (phase) {
            case Succeeded -> {
                c.set(PROGRESSING, false, "ChainSucceeded", done);
                c.set(READY, true, "ChainSucceeded", status.getSummary() != null ? status.getSummary() : done);
            }
            case Failed -> {
                c.set(PROGRESSING, false, "StageFailed", done + (active.isEmpty() ? "" : "; still running: " + active));
                c.set(READY, false, "StageFailed", "stage " + failed.get().getName() + " failed");
            }
            case Suspended -> {
                c.set(PROGRESSING, false, "Suspended", "spec.suspend is true; " + done
                        + (active.isEmpty() ? "" : "; finishing: " + active));
                c.set(READY, false, "Suspended", done);
            }
            case Pending -> {
                c.set(PROGRESSING, true, "StagesPending", active.isEmpty() ? "waiting for stages to start" : "pending: " + active);
                c.set(READY, false, "StagesPending", done);
            }
            default -> {
                c.set(PROGRESSING, true, "StagesRunning", active.isEmpty() ? done : "running: " + active);
                c.set(READY, false, "StagesRunning", done);
            }
        }
        if (failed.isPresent()) {
            StageStatus f = failed.get();
            c.set(FAILED, true, "StageFailed", "stage " + f.getName() + ": " + (f.getMessage() == null ? "failed" : f.getMessage()));
        } else {
            c.set(FAILED, false, "NoStageFailed", "no stage failed");
        }
        status.setConditions(c.list());
        return status;
    }

    /** An active stage as the Stage column shows it: its name, and for one choosing among candidates how many ended, e.g. "assistant 3/12". */
    private static String active(StageStatus s) {
        if (s.getCandidates() == null) {
            return s.getName();
        }
        long ended = s.getCandidates().stream().filter(c -> c.getPhase() != null && c.getPhase().isTerminal()).count();
        return s.getName() + " " + ended + "/" + s.getCandidates().size();
    }

    /** Best test accuracy among stages that learn from a teacher (the students), e.g. "84.1%". */
    static String bestAccuracy(DistillationChain chain, List<StageStatus> stages) {
        StageGraph graph = StageGraph.of(chain.getSpec());
        return stages.stream()
                .filter(s -> s.getMetrics() != null && s.getMetrics().getTestAccuracy() != null)
                .filter(s -> graph.teacherOf(s.getName()).isPresent())
                .map(s -> s.getMetrics().getTestAccuracy())
                .max(Double::compare)
                .map(Percent::of)
                .orElse(null);
    }

    /**
     * One line: the main student (the deepest end of the chain) and, in parentheses, the root
     * teacher it descends from and the other ends of the chain (the baselines), e.g.
     * "student 84.1% (teacher 91.2%, student-direct 83.2%, student-alone 82.0%)". Stages without
     * results are left out; null while no stage has results.
     */
    static String summary(DistillationChain chain, List<StageStatus> stages) {
        StageGraph graph = StageGraph.of(chain.getSpec());
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (StageStatus s : stages) {
            if (s.getMetrics() != null && s.getMetrics().getTestAccuracy() != null) {
                accuracy.put(s.getName(), s.getMetrics().getTestAccuracy());
            }
        }
        if (accuracy.isEmpty()) {
            return null;
        }
        List<String> leaves = new ArrayList<>(graph.leaves());
        String main = leaves.stream().max(Comparator.comparingInt((String l) -> graph.ancestors(l).size())
                .thenComparing(l -> -leaves.indexOf(l))).orElseThrow();
        List<String> ancestors = graph.ancestors(main);
        List<String> others = new ArrayList<>();
        if (!ancestors.isEmpty()) {
            others.add(ancestors.get(ancestors.size() - 1));
        }
        for (String l : leaves) {
            if (!l.equals(main)) {
                others.add(l);
            }
        }
        String rest = others.stream().filter(accuracy::containsKey)
                .map(n -> n + " " + Percent.of(accuracy.get(n))).collect(Collectors.joining(", "));
        if (accuracy.containsKey(main)) {
            return main + " " + Percent.of(accuracy.get(main)) + (rest.isEmpty() ? "" : " (" + rest + ")");
        }
        if (!rest.isEmpty()) {
            return rest;
        }
        return accuracy.entrySet().stream().map(e -> e.getKey() + " " + Percent.of(e.getValue())).collect(Collectors.joining(", "));
    }

    /** Builds the condition list, keeping lastTransitionTime while a condition's status is unchanged. */
    static final class Conditions {
        private final Map<String, Condition> previous = new LinkedHashMap<>();
        private final List<Condition> result = new ArrayList<>();
        private final Long generation;
        private final String now;

        Conditions(DistillationChain chain, Instant now) {
            if (chain.getStatus() != null && chain.getStatus().getConditions() != null) {
                for (Condition c : chain.getStatus().getConditions()) {
                    previous.put(c.getType(), c);
                }
            }
            this.generation = chain.getMetadata().getGeneration();
            this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
        }

        void set(String type, boolean value, String reason, String message) {
            String status = value ? "True" : "False";
            Condition before = previous.get(type);
            String since = before != null && Objects.equals(before.getStatus(), status) && before.getLastTransitionTime() != null
                    ? before.getLastTransitionTime() : now;
            result.add(new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                    .withLastTransitionTime(since).withObservedGeneration(generation).build());
        }

        List<Condition> list() {
            return result;
        }
    }
}
