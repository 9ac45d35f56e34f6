package dev.distillation.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One point of a stage's learning curve, as stored in metrics.json.
 *
 * @param epoch            1-based epoch number
 * @param trainLoss        mean training loss (the KD loss for distilled stages)
 * @param trainAccuracy    accuracy on the training batches seen in the epoch, 0..1
 * @param testLoss         mean cross-entropy on the test split
 * @param testAccuracy     accuracy on the test split, 0..1
 * @param learningRate     learning rate used in the epoch
 * @param seconds          wall-clock seconds of the epoch's training (evaluation excluded)
 * @param samplesPerSecond training throughput of the epoch
 * @param validationLoss     mean cross-entropy on the validation split, or null without one
 * @param validationAccuracy accuracy on the validation split, 0..1, or null without one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double learningRate, double seconds, double samplesPerSecond,
                          Double validationLoss, Double validationAccuracy) {

    /** An epoch of a stage without a validation split. */
    public EpochResult(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                       double learningRate, double seconds, double samplesPerSecond) {
        this(epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, learningRate, seconds, samplesPerSecond, null, null);
    }

    /** This epoch with its evaluation on the test split and, when there is one, on the validation split. */
    EpochResult withEvaluation(Evaluator.Evaluation test, Evaluator.Evaluation validation) {
        return new EpochResult(epoch, trainLoss, trainAccuracy, test.loss(), test.accuracy(), learningRate, seconds, samplesPerSecond,
                validation == null ? null : validation.loss(), validation == null ? null : validation.accuracy());
    }
}
