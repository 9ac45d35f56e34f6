package dev.distillation.operator.decision;

import dev.distillation.api.graph.CandidateSelection;
import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.CandidateStatus;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StageStatus;
import dev.distillation.operator.observer.ObservedChain;
import dev.distillation.operator.status.Percent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plans a chain whose stages may list candidates: the {@link ChainPlanner} plans its {@link CandidateExpansion}
 * (every candidate a stage with its own Pods, within {@code parallelism}); a listing stage chooses with
 * {@link CandidateSelection} once all its candidates ended, and the chain is expanded and planned again with that
 * choice, until no stage has a new one. Nothing is remembered between reconciles: the candidates' results recorded
 * on their volumes give the same choice every time, and a candidate whose fingerprint did not change is reused.
 * A failed candidate fails neither its stage nor the chain while another candidate of the stage can still succeed;
 * when none succeeded, the stage fails. Pure. For a chain without candidates this is exactly the {@link ChainPlanner}.
 */
public final class CandidatePlanner {

    /**
     * The plan and what it was made for.
     *
     * @param expansion    the chain as planned (its effective chain: apply the plan to that)
     * @param fingerprints the effective chain's fingerprints
     * @param plan         the plan; its stages are the effective chain's
     * @param choices      each listing stage that chose: the chosen candidate
     * @param unchosen     listing stages whose candidates all ended without one that succeeded
     */
    public record Result(CandidateExpansion expansion, Map<String, String> fingerprints, Plan plan, Map<String, String> choices,
                         Set<String> unchosen) {

        /** The stages of the chain as written, from the effective chain's {@code stages}: a listing stage's row folds its candidates. */
        public List<StageStatus> fold(DistillationChain chain, List<StageStatus> stages) {
            Map<String, StageStatus> byName = stages.stream().collect(Collectors.toMap(StageStatus::getName, s -> s, (a, b) -> a,
                    LinkedHashMap::new));
            List<StageStatus> result = new ArrayList<>();
            for (StageSpec stage : chain.getSpec().getStages()) {
                String name = stage.getName();
                List<String> names = expansion.candidates().get(name);
                String blocker = expansion.waitingOn().get(name);
                StageStatus row;
                if (names != null) {
                    row = listingRow(name, names, byName, blocker);
                } else if (blocker != null) {
                    row = new StageStatus();
                    row.setName(name);
                    boolean skipped = unchosen.contains(blocker);
                    row.setPhase(skipped ? StagePhase.Skipped : StagePhase.Waiting);
                    row.setMessage(skipped ? noneSucceeded(blocker) : waitingForChoice(blocker));
                } else {
                    row = byName.get(name);
                }
                result.add(row);
            }
            return result;
        }

        private StageStatus listingRow(String name, List<String> names, Map<String, StageStatus> byName, String blocker) {
            List<CandidateStatus> rows = new ArrayList<>();
            for (String c : names) {
                StageStatus s = byName.get(c);
                rows.add(s == null ? new CandidateStatus(c, StagePhase.Waiting, null, null)
                        : new CandidateStatus(c, s.getPhase(), s.getMetrics() == null ? null : s.getMetrics().getValidationAccuracy(),
                        s.getMessage()));
            }
            String chosen = choices.get(name);
            StageStatus row = new StageStatus();
            if (chosen != null) {
                StageStatus winner = byName.get(chosen);
                row.setPod(winner.getPod());
                row.setAttempts(winner.getAttempts());
                row.setFailures(winner.getFailures());
                row.setDisruptions(winner.getDisruptions());
                row.setCompletionTime(winner.getCompletionTime());
                row.setReusedFrom(winner.getReusedFrom());
                row.setCheckpoint(winner.getCheckpoint());
                row.setExport(winner.getExport());
                row.setFingerprint(winner.getFingerprint());
                row.setMetrics(winner.getMetrics());
                row.setPhase(StagePhase.Succeeded);
                row.setSelected(chosen);
                row.setMessage(chose(chosen, names.size(), winner));
            } else if (blocker != null) {
                boolean skipped = unchosen.contains(blocker);
                row.setPhase(skipped ? StagePhase.Skipped : StagePhase.Waiting);
                row.setMessage(skipped ? noneSucceeded(blocker) : waitingForChoice(blocker));
            } else if (unchosen.contains(name)) {
                boolean anyFailed = rows.stream().anyMatch(r -> r.getPhase() == StagePhase.Failed);
                row.setPhase(anyFailed ? StagePhase.Failed : StagePhase.Skipped);
                row.setMessage("none of its " + names.size() + " candidates succeeded, so there is nothing to choose"
                        + rows.stream().filter(r -> r.getMessage() != null).findFirst().map(r -> "; " + r.getName() + ": " + r.getMessage())
                        .orElse(""));
            } else {
                row.setPhase(rows.stream().anyMatch(r -> r.getPhase() == StagePhase.Running) ? StagePhase.Running
                        : rows.stream().anyMatch(r -> r.getPhase() == StagePhase.Pending) ? StagePhase.Pending : StagePhase.Waiting);
                row.setMessage(ended(rows) + " of " + names.size() + " candidates ended; it chooses once all have");
            }
            row.setName(name);
            row.setStartTime(names.stream().map(byName::get).filter(s -> s != null && s.getStartTime() != null)
                    .map(StageStatus::getStartTime).min(String::compareTo).orElse(null));
            row.setCandidates(rows);
            return row;
        }
    }

    private CandidatePlanner() {}

    /**
     * @param held the stages that may not start now, given the effective chain's fingerprints
     */
    public static Result plan(DistillationChain chain, ObservedChain observed, Function<Map<String, String>, Map<String, String>> held,
                              Instant now) {
        Map<String, String> choices = new LinkedHashMap<>();
        Set<String> unchosen = new HashSet<>();
        while (true) {
            CandidateExpansion expansion = CandidateExpansion.of(chain, choices);
            Map<String, String> fingerprints = Fingerprints.of(expansion.effective().getSpec());
            Set<String> tolerated = new HashSet<>();
            expansion.candidates().forEach((stage, names) -> {
                if (!unchosen.contains(stage)) {
                    tolerated.addAll(names);
                }
            });
            Plan plan = ChainPlanner.plan(expansion.effective(), fingerprints, observed, held.apply(fingerprints), tolerated, now);
            Map<String, StageStatus> states = plan.stages().stream().collect(Collectors.toMap(StageStatus::getName, s -> s));
            boolean changed = false;
            for (Map.Entry<String, List<String>> e : expansion.candidates().entrySet()) {
                String stage = e.getKey();
                if (choices.containsKey(stage) || unchosen.contains(stage) || expansion.waitingOn().containsKey(stage)) {
                    continue;
                }
                Optional<Optional<String>> decision = decide(e.getValue(), states);
                if (decision.isPresent()) {
                    decision.get().ifPresentOrElse(c -> choices.put(stage, c), () -> unchosen.add(stage));
                    changed = true;
                }
            }
            if (!changed) {
                return new Result(expansion, fingerprints, withChoiceEvents(plan, expansion, choices, states), Map.copyOf(choices),
                        Set.copyOf(unchosen));
            }
        }
    }

    /**
     * A listing stage's decision: empty while a candidate has not ended; once all ended, the chosen candidate, or
     * empty inside when none succeeded.
     */
    static Optional<Optional<String>> decide(List<String> candidates, Map<String, StageStatus> states) {
        List<CandidateSelection.Score> scores = new ArrayList<>();
        for (String c : candidates) {
            StageStatus s = states.get(c);
            if (s == null || s.getPhase() == null || !s.getPhase().isTerminal()) {
                return Optional.empty();
            }
            boolean scored = s.getPhase() == StagePhase.Succeeded && s.getMetrics() != null;
            scores.add(new CandidateSelection.Score(c, scored ? s.getMetrics().getValidationAccuracy() : null,
                    scored ? s.getMetrics().getValidationLoss() : null));
        }
        return Optional.of(CandidateSelection.choose(scores));
    }

    /** The plan, with an event for each choice made. */
    private static Plan withChoiceEvents(Plan plan, CandidateExpansion expansion, Map<String, String> choices,
                                        Map<String, StageStatus> states) {
        if (choices.isEmpty()) {
            return plan;
        }
        List<StageEvent> events = new ArrayList<>(plan.events());
        choices.forEach((stage, chosen) -> {
            StageStatus winner = states.get(chosen);
            events.add(StageEvent.candidateChosen(stage, Fingerprints.shortForm(winner.getFingerprint()),
                    "stage " + stage + " " + chose(chosen, expansion.candidates().get(stage).size(), winner)));
        });
        return new Plan(plan.stages(), plan.volumesToCreate(), plan.launches(), plan.podsToDelete(), plan.results(), plan.disruptions(),
                events);
    }

    static String chose(String candidate, int of, StageStatus winner) {
        return "chose " + candidate + " of " + of + " candidates by validation accuracy ("
                + Percent.of(winner.getMetrics().getValidationAccuracy()) + ")";
    }

    private static long ended(List<CandidateStatus> rows) {
        return rows.stream().filter(r -> r.getPhase() != null && r.getPhase().isTerminal()).count();
    }

    static String waitingForChoice(String stage) {
        return "waiting for stage " + stage + " to choose among its candidates";
    }

    static String noneSucceeded(String stage) {
        return "not run: no candidate of stage " + stage + " succeeded";
    }
}
