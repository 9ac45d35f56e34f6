package dev.distillation.operator.policy;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.TrainerSpec;
import dev.distillation.api.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;

/**
 * What a chain may ask for. The operator creates Pods on behalf of anyone who may create a chain,
 * so the cluster's admin decides (operator settings, chart values {@code policy.*}) which images
 * those Pods may run, which PriorityClasses they may take, and whether chains may steer them with
 * tolerations and node selectors. A chain outside the policy is invalid: nothing is created for
 * it, and each error names the field and the setting it breaks. Pure.
 *
 * @param allowedImagePrefixes   a chain's own {@code spec.trainer.image} must start with one of these; empty: any image
 *                               (the operator's own images are always allowed)
 * @param allowedPriorityClasses a chain's {@code priorityClassName} must be one of these; empty: any
 * @param allowTolerations       whether a chain may set tolerations
 * @param allowNodeSelector      whether a chain may set a node selector
 */
public record ChainPolicy(List<String> allowedImagePrefixes, List<String> allowedPriorityClasses, boolean allowTolerations,
                          boolean allowNodeSelector) {

    /** No restriction: what the operator does without policy settings. */
    public static final ChainPolicy OPEN = new ChainPolicy(List.of(), List.of(), true, true);

    static final String IMAGE_SETTING = "policy.allowedImagePrefixes";
    static final String PRIORITY_SETTING = "policy.allowedPriorityClasses";
    static final String TOLERATIONS_SETTING = "policy.allowTolerations";
    static final String NODE_SELECTOR_SETTING = "policy.allowNodeSelector";

    public ChainPolicy {
        allowedImagePrefixes = List.copyOf(allowedImagePrefixes);
        allowedPriorityClasses = List.copyOf(allowedPriorityClasses);
    }

    /** The rules {@code chain} breaks, in field order; empty when it is within the policy. */
    public List<ValidationError> check(DistillationChain chain) {
        List<ValidationError> errors = new ArrayList<>();
        TrainerSpec trainer = chain.getSpec() == null ? null : chain.getSpec().getTrainer();
        if (trainer == null) {
            return errors;
        }
        String image = trainer.getImage();
        if (image != null && !allowedImagePrefixes.isEmpty() && allowedImagePrefixes.stream().noneMatch(image::startsWith)) {
            errors.add(new ValidationError("spec.trainer.image", "'" + image + "' is not allowed by the operator's policy: images must "
                    + "start with " + String.join(" or ", allowedImagePrefixes) + " (chart value " + IMAGE_SETTING + ")"));
        }
        if (trainer.getNodeSelector() != null && !trainer.getNodeSelector().isEmpty() && !allowNodeSelector) {
            errors.add(new ValidationError("spec.trainer.nodeSelector", "the operator's policy does not let chains choose nodes "
                    + "(chart value " + NODE_SELECTOR_SETTING + " is false); remove it"));
        }
        if (trainer.getTolerations() != null && !trainer.getTolerations().isEmpty() && !allowTolerations) {
            errors.add(new ValidationError("spec.trainer.tolerations", "the operator's policy does not let chains tolerate taints "
                    + "(chart value " + TOLERATIONS_SETTING + " is false); remove them"));
        }
        String priority = trainer.getPriorityClassName();
        if (priority != null && !allowedPriorityClasses.isEmpty() && !allowedPriorityClasses.contains(priority)) {
            errors.add(new ValidationError("spec.trainer.priorityClassName", "'" + priority + "' is not allowed by the operator's policy: "
                    + "allowed PriorityClasses are " + String.join(", ", allowedPriorityClasses) + " (chart value " + PRIORITY_SETTING + ")"));
        }
        return errors;
    }
}
