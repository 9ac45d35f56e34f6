package dev.distillation.operator.managed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.operator.TestChains;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The annotation format, both ways: what the operator writes it reads back, and what it cannot read falls back. */
class StageAnnotationsTest {

    static final String FP = "sha256:abc";

    @Test
    void aStagePodsAttemptReadsBackAsWritten() {
        Pod pod = TestChains.pod(TestChains.paper(), "teacher", FP, 3, 2, 1);

        assertThat(StageAnnotations.fingerprint(pod)).isEqualTo(FP);
        assertThat(StageAnnotations.attempt(pod)).isEqualTo(new Attempt(3, 2, 1));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "-", textBlock = """
            # pod name    attempt annotation  expected number
            c-teacher-a7, -,                  7
            c-teacher-a7, 9,                  9
            c-teacher-a7, x,                  7
            c-teacher,    -,                  1
            c-teacher-ab, -,                  1
            """)
    void withoutReadableAnnotationsTheNameGivesTheNumber(String name, String attempt, int number) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (attempt != null) {
            annotations.put(StageAnnotations.ATTEMPT, attempt);
        }
        annotations.put(StageAnnotations.FAILURES_BEFORE, "two");
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata().build();

        assertThat(StageAnnotations.attempt(pod)).isEqualTo(new Attempt(number, 1, 0));
        assertThat(StageAnnotations.fingerprint(pod)).isNull();
    }

    @Test
    void aRecordedResultReadsBackAsWritten() {
        RecordedResult written = new RecordedResult(FP, metrics(0.912), "c-teacher-a2", 2, 1,
                "2026-01-01T10:00:00Z", "2026-01-01T10:30:00Z", "uid-1", "2025-12-31T09:00:00Z");

        RecordedResult read = StageAnnotations.result(volume(StageAnnotations.ofResult(written))).orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(written);
        assertThat(read.durationSeconds()).isEqualTo(1800.0);
        assertThat(read.recordedBy("uid-1")).isTrue();
        assertThat(read.recordedBy("uid-2")).as("another chain of the same name").isFalse();
    }

    @Test
    void aResultWithoutTheChainThatRecordedItWasRecordedByNoChainWeKnow() {
        RecordedResult read = StageAnnotations.result(volume(Map.of(StageAnnotations.RESULT_FINGERPRINT, FP,
                StageAnnotations.RESULT_METRICS, TrainerResult.toJson(metrics(0.9))))).orElseThrow();
        assertThat(read.chainUid()).isNull();
        assertThat(read.recordedBy("uid-1")).isFalse();
        assertThat(read.recordedBy(null)).isFalse();
    }

    @Test
    void unknownTimesAreLeftOut() {
        RecordedResult written = new RecordedResult(FP, metrics(0.5), "c-teacher-a1", 1, 0, null, null, null, null);
        Map<String, String> annotations = StageAnnotations.ofResult(written);

        assertThat(annotations).doesNotContainKeys(StageAnnotations.RESULT_START_TIME, StageAnnotations.RESULT_COMPLETION_TIME,
                StageAnnotations.RESULT_CHAIN_UID, StageAnnotations.RESULT_REUSED_FROM);
        RecordedResult read = StageAnnotations.result(volume(annotations)).orElseThrow();
        assertThat(read.startTime()).isNull();
        assertThat(read.durationSeconds()).isNull();
    }

    @Test
    void aVolumeWithoutAReadableResultHasNone() {
        assertThat(StageAnnotations.result(volume(null))).isEmpty();
        assertThat(StageAnnotations.result(volume(Map.of(StageAnnotations.RESULT_METRICS, TrainerResult.toJson(metrics(0.9))))))
                .as("no fingerprint").isEmpty();
        assertThat(StageAnnotations.result(volume(Map.of(StageAnnotations.RESULT_FINGERPRINT, FP,
                StageAnnotations.RESULT_METRICS, "{\"testLoss\":1}")))).as("metrics without accuracy").isEmpty();
    }

    @Test
    void missingCountsFallBackToOneAttemptWithoutFailures() {
        RecordedResult read = StageAnnotations.result(volume(Map.of(StageAnnotations.RESULT_FINGERPRINT, FP,
                StageAnnotations.RESULT_METRICS, TrainerResult.toJson(metrics(0.9)), StageAnnotations.RESULT_FAILURES, "-"))).orElseThrow();

        assertThat(read.attempts()).isEqualTo(1);
        assertThat(read.failures()).isZero();
    }

    static StageMetrics metrics(double accuracy) {
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(accuracy);
        m.setEpochs(3);
        return m;
    }

    static PersistentVolumeClaim volume(Map<String, String> annotations) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("c-teacher").withAnnotations(annotations).endMetadata().build();
    }
}
