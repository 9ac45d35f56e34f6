package dev.distillation.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.job.StageJobTraining;
import dev.distillation.api.v1alpha1.TrainingSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a finished epoch counts as a collapse: one row per rule. */
class CollapseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                            | steps | classes | test acc | train acc | top share | collapsed
            one class for every image, at chance everywhere   |  469  |   10    |  0.100   |  0.099    |   1.00    | true
            the issue's run: 10% test, one class, 3 epochs     | 1407  |   10    |  0.100   |  0.102    |   0.98    | true
            half the images in one class, both at chance       |  469  |   10    |  0.140   |  0.130    |   0.50    | true
            healthy first epoch                                |  469  |   10    |  0.790   |  0.700    |   0.14    | false
            test at chance but training learned (overfitting)  |  469  |   10    |  0.120   |  0.600    |   0.90    | false
            at chance but predictions spread over the classes  |  469  |   10    |  0.100   |  0.100    |   0.30    | false
            too few steps to judge (a tiny subset)             |   49  |   10    |  0.100   |  0.100    |   1.00    | false
            just enough steps                                  |   50  |   10    |  0.100   |  0.100    |   1.00    | true
            imbalanced test set: the big class is right        |  469  |   10    |  0.900   |  0.880    |   0.95    | false
            two classes: 75% is not chance                     |  469  |    2    |  0.750   |  0.700    |   0.80    | false
            two classes: 50% with one class predicted          |  469  |    2    |  0.500   |  0.510    |   1.00    | true
            just above chance + 5% of the rest (14.5%)         |  469  |   10    |  0.146   |  0.100    |   1.00    | false
            at chance + 5% of the rest                         |  469  |   10    |  0.145   |  0.145    |   1.00    | true
            a hundred classes: 5% with half in one class       | 1000  |  100    |  0.050   |  0.040    |   0.60    | true
            a hundred classes: 20% is learning                 | 1000  |  100    |  0.200   |  0.150    |   0.60    | false
            """)
    void decision(String name, long steps, int classes, double testAcc, double trainAcc, double topShare, boolean collapsed) {
        EpochResult epoch = new EpochResult(1, 7.9, trainAcc, 2.3, testAcc, 0.1, 10, 1000);
        Evaluator.Evaluation test = new Evaluator.Evaluation(2.3, testAcc, 3, topShare);
        assertThat(Collapse.check(epoch, test, steps, classes, StageJobTraining.of(TrainingSpec.DEFAULTS)).isPresent()).as(name).isEqualTo(collapsed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # what the message must say
            training collapsed: after epoch 1
            predicts class 3 for 100% of the test images
            test accuracy 10.0%, training accuracy 9.9%, chance 10.0%
            training loss 7.90
            lower training.learningRate (now 0.1)
            raise training.warmupEpochs (now 0.5)
            training.gradientClipNorm (now 5.0
            """)
    void theMessageSaysWhatHappenedAndWhatToChange(String expected) {
        EpochResult epoch = new EpochResult(1, 7.9, 0.099, 2.3, 0.1, 0.1, 10, 1000);
        TrainingSpec t = TrainingSpec.DEFAULTS.copy();
        t.setLearningRate(0.1);
        t.setWarmupEpochs(0.5);
        t.setGradientClipNorm(5.0);
        TrainerException e = Collapse.check(epoch, new Evaluator.Evaluation(2.3, 0.1, 3, 1.0), 469, 10, StageJobTraining.of(t)).orElseThrow();
        assertThat(e.exitCode()).isEqualTo(TrainerException.TRAINING_FAILED);
        assertThat(e.getMessage()).contains(expected);
    }
}
