package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A knowledge-distillation chain: a teacher, zero or more teacher assistants and students,
 * each stage learning from an earlier one (Mirzadeh et al., AAAI 2020).
 */
@Group(DistillationChain.GROUP)
@Version(DistillationChain.VERSION)
@Kind(DistillationChain.KIND)
@Plural("distillationchains")
@Singular("distillationchain")
@ShortNames("dchain")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Stage", jsonPath = ".status.activeStages", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Done", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Training", jsonPath = ".status.training", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Best", jsonPath = ".status.bestAccuracy", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "size(self.metadata.name) <= " + Bounds.CHAIN_NAME_MAX,
        message = "metadata.name must be at most " + Bounds.CHAIN_NAME_MAX
                + " characters, so that the names of its stage Pods and volumes stay valid")
@ValidationRule(value = "self.metadata.name.matches('" + Bounds.DNS_LABEL + "')",
        message = "metadata.name must be a DNS label (lower-case letters, digits and '-', starting and ending with"
                + " a letter or digit): it is part of every stage's Pod and volume name")
public class DistillationChain extends CustomResource<DistillationChainSpec, DistillationChainStatus>
        implements Namespaced {

    public static final String GROUP = "distillation.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "DistillationChain";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    // Overridden only to document and require them in the generated CRD (kubectl explain dchain.spec).
    @Override
    @Required
    @JsonPropertyDescription("What to train: the dataset, the stages (teachers before students), training and Pod settings.")
    public DistillationChainSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed: the chain's phase and conditions, and every stage's Pod, attempts and metrics.")
    public DistillationChainStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected DistillationChainStatus initStatus() {
        return new DistillationChainStatus();
    }
}
