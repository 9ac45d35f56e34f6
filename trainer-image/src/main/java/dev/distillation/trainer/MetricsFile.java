package dev.distillation.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.distillation.api.v1alpha1.StageMetrics;
import java.util.List;

/**
 * metrics.json: the stage's final metrics (the same object as the termination message) and its
 * learning curve.
 *
 * @param chain            chain name
 * @param stage            stage name
 * @param fingerprint      the stage's fingerprint
 * @param architecture     e.g. plain-cnn
 * @param depth            network depth
 * @param parameters       trainable parameters
 * @param trainSamples     training images used
 * @param testSamples      test images
 * @param threads          libtorch intra-op threads
 * @param pretrained       true when the stage only loaded and evaluated a checkpoint
 * @param resumedFromEpoch last epoch of the checkpoint this run resumed from, or null
 * @param optimizerStateInCheckpoints true: checkpoints hold the optimiser state, so a resumed run continues exactly
 * @param finalMetrics     final metrics (JSON name {@code final})
 * @param epochs           one entry per epoch
 * @param validationSamples training images held out as the validation split, or null when none were
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricsFile(String chain, String stage, String fingerprint, String architecture, int depth, long parameters,
                          int trainSamples, int testSamples, int threads, boolean pretrained, Integer resumedFromEpoch,
                          boolean optimizerStateInCheckpoints,
                          @com.fasterxml.jackson.annotation.JsonProperty("final") StageMetrics finalMetrics,
                          List<EpochResult> epochs, Integer validationSamples) {}
