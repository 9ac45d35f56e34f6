package dev.distillation.operator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.CandidatesSpec;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.ValidationError;
import dev.distillation.operator.TestChains;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSupportTest {

    @Test
    void aPlainChainAndOneWithAValidationSplitRunAsWritten() {
        DistillationChain chain = TestChains.paper();
        assertThat(ClusterSupport.unsupported(chain)).isEmpty();
        chain.getSpec().getDataset().setValidation(new ValidationSplit(5000, null));
        assertThat(ClusterSupport.unsupported(chain)).isEmpty();
    }

    @Test
    void aStageWithCandidatesIsRefusedNamingItRatherThanTrainedAsItsOwnModelOnly() {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().getDataset().setValidation(new ValidationSplit(5000, null));
        chain.getSpec().getStages().get(1).setCandidates(new CandidatesSpec(null, List.of(2.0, 4.0), null));
        assertThat(ChainValidator.validate(chain)).as("the spec itself is valid").isEmpty();

        assertThat(ClusterSupport.unsupported(chain)).containsExactly(new ValidationError("spec.stages[1].candidates",
                "choosing among candidates is done by 'distill run' only in this version; on a cluster, list one stage per "
                        + "candidate (or run the chain locally)"));
    }
}
