package dev.distillation.operator.resources;

import dev.distillation.api.v1alpha1.DistillationChain;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Label and annotation keys the operator puts on the objects it owns. The cluster holds the
 * operator's whole memory in them: a restarted operator rebuilds every stage's state from these.
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

    /** The stage fingerprint a Pod trains, or a PVC's recorded result belongs to. */
    public static final String FINGERPRINT = "distillation.dev/fingerprint";
    /** The Pod's attempt number, the N in {@code <chain>-<stage>-aN}; counts across fingerprints. */
    public static final String ATTEMPT = "distillation.dev/attempt";
    /** Which attempt of its fingerprint the Pod is, from 1. */
    public static final String FINGERPRINT_ATTEMPT = "distillation.dev/fingerprint-attempt";
    /** Trainer failures of the same fingerprint before this Pod (counted against backoffLimit). */
    public static final String FAILURES_BEFORE = "distillation.dev/failures-before";

    /** On a stage PVC: the fingerprint whose result is recorded below. */
    public static final String RESULT_FINGERPRINT = "distillation.dev/result-fingerprint";
    /** On a stage PVC: the trainer's metrics (compact JSON) for {@link #RESULT_FINGERPRINT}. */
    public static final String RESULT_METRICS = "distillation.dev/result-metrics";
    public static final String RESULT_POD = "distillation.dev/result-pod";
    public static final String RESULT_ATTEMPTS = "distillation.dev/result-attempts";
    public static final String RESULT_FAILURES = "distillation.dev/result-failures";
    public static final String RESULT_START_TIME = "distillation.dev/result-start-time";
    public static final String RESULT_COMPLETION_TIME = "distillation.dev/result-completion-time";

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
