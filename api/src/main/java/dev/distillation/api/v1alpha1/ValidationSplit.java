package dev.distillation.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * Training images held out of training, the same ones for every stage of a chain, on which stages
 * are evaluated after every epoch and candidates are compared. Never taken from the test split.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationSplit {

    @Required
    @Min(Bounds.VALIDATION_SIZE_MIN)
    @Max(Bounds.VALIDATION_SIZE_MAX)
    @JsonPropertyDescription("How many training images to hold out, drawn at random with 'seed'; the stages train on the rest. "
            + "Must leave at least " + Bounds.TRAIN_SAMPLES_MIN + " training images (the trainer checks against the dataset).")
    private Integer size;

    @Min(Bounds.VALIDATION_SEED_MIN)
    @JsonPropertyDescription("Seed of the random draw of the held-out images (independent of the stages' training seeds). Default "
            + Bounds.DEFAULT_VALIDATION_SEED + ".")
    private Long seed;

    public ValidationSplit() {}

    public ValidationSplit(Integer size, Long seed) {
        this.size = size;
        this.seed = seed;
    }

    public Integer getSize() { return size; }
    public void setSize(Integer size) { this.size = size; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }

    public long effectiveSeed() { return seed == null ? Bounds.DEFAULT_VALIDATION_SEED : seed; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationSplit v && Objects.equals(size, v.size) && Objects.equals(seed, v.seed);
    }

    @Override
    public int hashCode() { return Objects.hash(size, seed); }
}
