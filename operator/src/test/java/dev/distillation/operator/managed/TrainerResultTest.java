package dev.distillation.operator.managed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerResultTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "{\"testAccuracy\":0.912,\"testLoss\":0.25,\"epochs\":30,\"futureField\":1}  | 0.912 | -",
            "  {\"testAccuracy\":1.0}                                                | 1.0   | -",
            "-                                                                        | -     | the trainer wrote no metrics to its termination message",
            "Exception in thread main java.lang.OutOfMemoryError                     | -     | the trainer's termination message is not metrics JSON: Exception in thread main java.lang.OutOfMemoryError",
            "{\"testLoss\":0.2}                                                      | -     | the trainer's termination message has no testAccuracy: {\"testLoss\":0.2}",
            "{\"testAccuracy\":91.2}                                                 | -     | the trainer reported testAccuracy 91.2, outside 0..1",
            "{\"validationAccuracy\":1.5,\"testAccuracy\":0.9}                       | -     | the trainer reported validationAccuracy 1.5, outside 0..1",
            "[1,2]                                                                    | -     | the trainer's termination message is not metrics JSON: [1,2]",
            "{\"testAccuracy\":\"high\"}                                             | -     | the trainer's termination message is not metrics JSON: {\"testAccuracy\":\"high\"}",
    })
    void parse(String message, Double accuracy, String error) {
        TrainerResult r = TrainerResult.parse(message);

        assertThat(r.ok()).isEqualTo(accuracy != null);
        assertThat(r.metrics() == null ? null : r.metrics().getTestAccuracy()).isEqualTo(accuracy);
        assertThat(r.error()).isEqualTo(error);
    }

    @org.junit.jupiter.api.Test
    void theValidationAccuracyOfAStageWithASplitIsKeptForTheStatus() {
        TrainerResult r = TrainerResult.parse("{\"validationAccuracy\":0.874,\"validationLoss\":0.36,\"testAccuracy\":0.861}");

        assertThat(r.ok()).isTrue();
        assertThat(r.metrics().getValidationAccuracy()).isEqualTo(0.874);
        assertThat(r.metrics().getValidationLoss()).isEqualTo(0.36);
        assertThat(TrainerResult.parse(TrainerResult.toJson(r.metrics())).metrics()).isEqualTo(r.metrics());
    }
}
