package dev.distillation.operator.decision;

import dev.distillation.api.graph.Candidates;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;

/**
 * What a valid chain may ask for that this operator cannot yet do on a cluster. Such a chain is
 * reported invalid (nothing is created) rather than run differently from {@code distill run}: a stage
 * listing candidates must never quietly train only its own model. Pure.
 */
public final class ClusterSupport {

    static final String CANDIDATES_MESSAGE = "choosing among candidates is done by 'distill run' only in this version; "
            + "on a cluster, list one stage per candidate (or run the chain locally)";

    private ClusterSupport() {}

    /** One error per stage that lists candidates; empty when the operator can run every stage as written. */
    public static List<ValidationError> unsupported(DistillationChain chain) {
        List<ValidationError> errors = new ArrayList<>();
        List<StageSpec> stages = chain.getSpec().getStages();
        for (int i = 0; i < stages.size(); i++) {
            if (Candidates.has(stages.get(i))) {
                errors.add(new ValidationError("spec.stages[" + i + "].candidates", CANDIDATES_MESSAGE));
            }
        }
        return errors;
    }
}
