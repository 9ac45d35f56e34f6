package dev.distillation.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.distillation.api.graph.Fingerprints;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Smoke-run settings applied to every stage of a local run ({@code --epochs}, {@code --max-train-samples}).
 * They enter each stage's fingerprint, so a smoke run's results are never reused by a full run.
 *
 * @param epochs          train every stage for this many epochs, or null for the chain's own settings
 * @param maxTrainSamples use only the first N training images, or null for all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Overrides(Integer epochs, Integer maxTrainSamples) {

    public static final Overrides NONE = new Overrides(null, null);

    /** Deep copies through JSON; derived getters such as isSuspended() come back as unknown fields and are dropped. */
    private static final ObjectMapper COPIER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public boolean isEmpty() {
        return epochs == null && maxTrainSamples == null;
    }

    /** A copy of {@code spec} with the epoch override written into the chain's and every stage's training settings. */
    public DistillationChainSpec apply(DistillationChainSpec spec) {
        DistillationChainSpec copy = COPIER.convertValue(spec, DistillationChainSpec.class);
        if (epochs != null) {
            if (copy.getTraining() == null) {
                copy.setTraining(new TrainingSpec());
            }
            copy.getTraining().setEpochs(epochs);
            for (StageSpec stage : copy.getStages()) {
                if (stage.getTraining() != null) {
                    stage.getTraining().setEpochs(epochs);
                }
            }
        }
        return copy;
    }

    /**
     * Each stage's fingerprint for a local run: the operator's fingerprint of the (overridden) spec,
     * mixed with {@code maxTrainSamples} when it is set. Every stage sees the same override, so a
     * stage's fingerprint still changes whenever its teacher's does.
     */
    public Map<String, String> fingerprints(DistillationChainSpec overriddenSpec) {
        Map<String, String> base = Fingerprints.of(overriddenSpec);
        if (maxTrainSamples == null) {
            return base;
        }
        Map<String, String> result = new LinkedHashMap<>();
        base.forEach((stage, fp) -> result.put(stage, fingerprint(fp)));
        return result;
    }

    /** One stage's fingerprint for a local run, from the operator's fingerprint {@code base} of the stage. */
    public String fingerprint(String base) {
        return maxTrainSamples == null ? base : sha256(base + "\nmaxTrainSamples=" + maxTrainSamples);
    }

    /** "--epochs 1 --max-train-samples 2000", or "" when empty. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (epochs != null) {
            sb.append("--epochs ").append(epochs);
        }
        if (maxTrainSamples != null) {
            sb.append(sb.isEmpty() ? "" : " ").append("--max-train-samples ").append(maxTrainSamples);
        }
        return sb.toString();
    }

    private static String sha256(String s) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
