package dev.distillation.operator.managed;

import dev.distillation.api.v1alpha1.DistillationChain;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Label keys the operator puts on the objects it owns: the informers select by them and the
 * observer groups by them. (Annotation keys and their format: {@link StageAnnotations}.)
 */
public final class Labels {

    public static final String CHAIN = "distillation.dev/chain";
    public static final String STAGE = "distillation.dev/stage";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String OPERATOR = "distillation-operator";
    public static final String TRAINER = "distillation-trainer";
    /** Kueue's plain-pod integration queues Pods carrying this label; copied from the chain. */
    public static final String KUEUE_QUEUE_NAME = "kueue.x-k8s.io/queue-name";

    private Labels() {}

    /** The labels every object of one stage carries. */
    public static Map<String, String> forStage(DistillationChain chain, String stage, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CHAIN, chain.getMetadata().getName());
        labels.put(STAGE, stage);
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(NAME, TRAINER);
        labels.put(INSTANCE, chain.getMetadata().getName());
        labels.put(COMPONENT, component);
        return labels;
    }
}
