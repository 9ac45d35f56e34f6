package dev.distillation.api.graph;

import java.util.List;
import java.util.Optional;

/**
 * Which candidate a stage keeps: the one with the highest validation accuracy after its last epoch; on a
 * tie, the lower validation loss; then the one listed first. A candidate without a validation accuracy
 * (it failed, or has not finished) is passed over; when none has one, there is no choice. Pure: the local
 * runner and the operator both call it, so a chain chooses the same way everywhere.
 */
public final class CandidateSelection {

    /**
     * One candidate's result.
     *
     * @param candidate          its name
     * @param validationAccuracy accuracy on the validation split, or null when it has no result
     * @param validationLoss     mean cross-entropy on the validation split, or null
     */
    public record Score(String candidate, Double validationAccuracy, Double validationLoss) {}

    private CandidateSelection() {}

    /** The chosen candidate's name, from {@code scores} in the order the candidates are listed. */
    public static Optional<String> choose(List<Score> scores) {
        Score best = null;
        for (Score s : scores) {
            if (s.validationAccuracy() == null || s.validationAccuracy().isNaN()) {
                continue;
            }
            if (best == null || better(s, best)) {
                best = s;
            }
        }
        return Optional.ofNullable(best).map(Score::candidate);
    }

    /** Strictly better: an equal score keeps the one listed first. */
    private static boolean better(Score a, Score b) {
        int byAccuracy = Double.compare(a.validationAccuracy(), b.validationAccuracy());
        if (byAccuracy != 0) {
            return byAccuracy > 0;
        }
        double lossA = a.validationLoss() == null || a.validationLoss().isNaN() ? Double.POSITIVE_INFINITY : a.validationLoss();
        double lossB = b.validationLoss() == null || b.validationLoss().isNaN() ? Double.POSITIVE_INFINITY : b.validationLoss();
        return lossA < lossB;
    }
}
