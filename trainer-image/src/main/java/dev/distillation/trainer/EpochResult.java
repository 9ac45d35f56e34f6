package dev.distillation.trainer;

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
 */
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double learningRate, double seconds, double samplesPerSecond) {

    /** This epoch with its evaluation on the test split. */
    EpochResult withTest(Evaluator.Evaluation test) {
        return new EpochResult(epoch, trainLoss, trainAccuracy, test.loss(), test.accuracy(), learningRate, seconds, samplesPerSecond);
    }
}
