package dev.distillation.operator.config;

import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.operator.policy.ChainPolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's settings. Each can be set as a property ({@code distillation.trainer-image}) or
 * an environment variable ({@code DISTILLATION_TRAINER_IMAGE}); lists are comma-separated. The
 * watched namespaces are the operator SDK's own setting:
 * {@code quarkus.operator-sdk.controllers.distillationchain.namespaces}
 * ({@code QUARKUS_OPERATOR_SDK_CONTROLLERS_DISTILLATIONCHAIN_NAMESPACES}).
 */
@ConfigMapping(prefix = "distillation")
public interface OperatorSettings {

    String DEFAULT_TRAINER_IMAGE = "distillation-trainer:0.1.0-SNAPSHOT";
    /** The CUDA build of the same trainer: {@code -Pcuda} tags it with this suffix. */
    String CUDA_SUFFIX = "-cuda";
    String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
    /** CPU and memory of a trainer Pod whose chain sets none: see {@link Bounds#DEFAULT_TRAINER_CPU}. */
    String DEFAULT_TRAINER_CPU = Bounds.DEFAULT_TRAINER_CPU;
    String DEFAULT_TRAINER_MEMORY = Bounds.DEFAULT_TRAINER_MEMORY;

    /** Image of the stage Pods that request no GPU, when a chain sets no {@code spec.trainer.image}. */
    @WithDefault(DEFAULT_TRAINER_IMAGE)
    String trainerImage();

    /** Image of the stage Pods that request GPUs (the trainer with CUDA's libtorch), when a chain sets no image. */
    @WithDefault(DEFAULT_TRAINER_IMAGE + CUDA_SUFFIX)
    String trainerImageCuda();

    /** The extended resource a GPU is requested as (the device plugin's name). */
    @WithDefault(DEFAULT_GPU_RESOURCE)
    String gpuResourceName();

    /** CPU request and limit of a trainer Pod whose chain sets no {@code spec.trainer.resources.cpu}. */
    @WithDefault(DEFAULT_TRAINER_CPU)
    String trainerCpu();

    /** Memory request and limit of a trainer Pod whose chain sets no {@code spec.trainer.resources.memory}. */
    @WithDefault(DEFAULT_TRAINER_MEMORY)
    String trainerMemory();

    /** What a chain may ask for. */
    Policy policy();

    /** How the operator reads training progress from running trainers ({@code status.stages[].progress}). */
    Progress progress();

    /** The Lease that decides which operator replica works; the others wait for it. */
    LeaderElection leaderElection();

    interface LeaderElection {
        /** Name of the Lease (coordination.k8s.io) the replicas compete for. */
        @WithDefault("distillation-operator")
        String leaseName();

        /** Namespace of the Lease; none set: the operator's own (its ServiceAccount's, or the kubeconfig context's). */
        Optional<String> leaseNamespace();

        /**
         * How long a Lease holds after its last renewal: a standby takes over at most this long
         * after the leader stopped renewing (a killed Pod, a lost node).
         */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps trying to renew before it gives up and exits (to restart as a standby). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often the replicas try to take or renew the Lease. */
        @WithDefault("2s")
        Duration retryPeriod();
    }

    interface Progress {
        /**
         * How often the operator asks each running trainer Pod for its progress (HTTP, Pod to operator;
         * no API request). 0s: never (no progress in status).
         */
        @WithDefault("15s")
        Duration interval();

        /** How long one question may take, connection included; a Pod that does not answer is asked again less often. */
        @WithDefault("2s")
        Duration timeout();
    }

    interface Policy {
        /** Image prefixes a chain's {@code spec.trainer.image} must start with; none set: any image. */
        Optional<List<String>> allowedImagePrefixes();

        /** PriorityClasses a chain may name; none set: any. */
        Optional<List<String>> allowedPriorityClasses();

        /** Whether a chain may set {@code spec.trainer.tolerations}. */
        @WithDefault("true")
        boolean allowTolerations();

        /** Whether a chain may set {@code spec.trainer.nodeSelector}. */
        @WithDefault("true")
        boolean allowNodeSelector();
    }

    /** The settings the Pod builder uses, as a plain value for the pure builders and their tests. */
    default Values values() {
        return new Values(trainerImage(), trainerImageCuda(), gpuResourceName(), new Quantity(trainerCpu()), new Quantity(trainerMemory()));
    }

    default ChainPolicy chainPolicy() {
        Policy p = policy();
        return new ChainPolicy(p.allowedImagePrefixes().orElse(List.of()), p.allowedPriorityClasses().orElse(List.of()),
                p.allowTolerations(), p.allowNodeSelector());
    }

    record Values(String trainerImage, String trainerImageCuda, String gpuResourceName, Quantity trainerCpu, Quantity trainerMemory) {
        public static final Values DEFAULTS = new Values(DEFAULT_TRAINER_IMAGE, DEFAULT_TRAINER_IMAGE + CUDA_SUFFIX, DEFAULT_GPU_RESOURCE,
                new Quantity(DEFAULT_TRAINER_CPU), new Quantity(DEFAULT_TRAINER_MEMORY));

        public Values withImages(String image, String cudaImage) {
            return new Values(image, cudaImage, gpuResourceName, trainerCpu, trainerMemory);
        }

        public Values withGpuResourceName(String name) {
            return new Values(trainerImage, trainerImageCuda, name, trainerCpu, trainerMemory);
        }
    }
}
