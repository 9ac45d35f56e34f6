package dev.distillation.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The operator's settings. Each can be set as a property ({@code distillation.trainer-image}) or
 * an environment variable ({@code DISTILLATION_TRAINER_IMAGE}). The watched namespaces are the
 * operator SDK's own setting: {@code quarkus.operator-sdk.controllers.distillationchain.namespaces}
 * ({@code QUARKUS_OPERATOR_SDK_CONTROLLERS_DISTILLATIONCHAIN_NAMESPACES}).
 */
@ConfigMapping(prefix = "distillation")
public interface OperatorSettings {

    String DEFAULT_TRAINER_IMAGE = "distillation-trainer:0.1.0-SNAPSHOT";
    String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";

    /** Image of the stage Pods when a chain sets no {@code spec.trainer.image}. */
    @WithDefault(DEFAULT_TRAINER_IMAGE)
    String trainerImage();

    /** The extended resource a GPU is requested as (the device plugin's name). */
    @WithDefault(DEFAULT_GPU_RESOURCE)
    String gpuResourceName();

    /** The same settings as a plain value, for the pure builders and their tests. */
    static Values of(String trainerImage, String gpuResourceName) {
        return new Values(trainerImage, gpuResourceName);
    }

    default Values values() {
        return new Values(trainerImage(), gpuResourceName());
    }

    record Values(String trainerImage, String gpuResourceName) {
        public static final Values DEFAULTS = new Values(DEFAULT_TRAINER_IMAGE, DEFAULT_GPU_RESOURCE);
    }
}
