package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

/**
 * A toleration of the trainer Pods: Kubernetes' own fields, with the rules its API server applies
 * to a Pod's tolerations stated in the schema, so a bad one is refused at {@code kubectl apply}
 * instead of when the operator creates the Pod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.key) && self.key != '' || has(self.operator) && self.operator == 'Exists'",
        message = TolerationSpec.EMPTY_KEY_MESSAGE)
@ValidationRule(value = "!has(self.operator) || self.operator != 'Exists' || !has(self.value) || self.value == ''",
        message = TolerationSpec.EXISTS_VALUE_MESSAGE)
@ValidationRule(value = "!has(self.tolerationSeconds) || has(self.effect) && self.effect == 'NoExecute'",
        message = TolerationSpec.SECONDS_MESSAGE)
@ValidationRule(value = "!has(self.key) || self.key == '' || self.key.matches('" + Bounds.QUALIFIED_NAME + "')",
        message = TolerationSpec.KEY_MESSAGE)
@ValidationRule(value = "!has(self.value) || self.value.matches('" + Bounds.LABEL_VALUE + "')",
        message = TolerationSpec.VALUE_MESSAGE)
public class TolerationSpec {

    public static final String EMPTY_KEY_MESSAGE = "a toleration without a key must have operator Exists (it then tolerates every taint)";
    public static final String EXISTS_VALUE_MESSAGE = "a toleration with operator Exists must not have a value";
    public static final String SECONDS_MESSAGE = "tolerationSeconds applies only to effect NoExecute";
    public static final String KEY_MESSAGE = "a toleration's key must be a label key: an optional DNS-subdomain prefix and '/', "
            + "then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    public static final String VALUE_MESSAGE = "a toleration's value must be a label value: at most 63 letters, digits, '-', '_' or '.', "
            + "starting and ending with a letter or digit";

    @Size(max = Bounds.QUALIFIED_NAME_MAX)
    @JsonPropertyDescription("The taint key to tolerate; empty (with operator Exists) tolerates every taint.")
    private String key;

    @JsonPropertyDescription("Exists (any value) or Equal (the value below). Default Equal.")
    private TolerationOperator operator;

    @Size(max = Bounds.LABEL_VALUE_MAX)
    @JsonPropertyDescription("The taint value to match, with operator Equal.")
    private String value;

    @JsonPropertyDescription("The taint effect to tolerate: NoSchedule, PreferNoSchedule or NoExecute; empty tolerates all three.")
    private TaintEffect effect;

    @JsonPropertyDescription("With effect NoExecute: how long the Pod stays on a node after the taint appears.")
    private Long tolerationSeconds;

    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
    public TolerationOperator getOperator() { return operator; }
    public void setOperator(TolerationOperator operator) { this.operator = operator; }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }
    public TaintEffect getEffect() { return effect; }
    public void setEffect(TaintEffect effect) { this.effect = effect; }
    public Long getTolerationSeconds() { return tolerationSeconds; }
    public void setTolerationSeconds(Long tolerationSeconds) { this.tolerationSeconds = tolerationSeconds; }

    /** As a Pod's toleration. */
    public Toleration toToleration() {
        return new TolerationBuilder().withKey(key).withOperator(operator == null ? null : operator.value())
                .withValue(value).withEffect(effect == null ? null : effect.value()).withTolerationSeconds(tolerationSeconds).build();
    }
}
