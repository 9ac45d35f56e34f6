package dev.distillation.operator.refusal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.operator.TestChains;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefusalMemoryTest {

    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final Refusal QUOTA = new Refusal(Refusal.POD, "p-teacher-a1", 403, "Forbidden", "exceeded quota", "spec.trainer.resources.memory");
    static final Refusal INVALID = new Refusal(Refusal.POD, "p-teacher-a1", 422, "Invalid", "bad value", "spec.trainer.resources");

    @ParameterizedTest(name = "refusal {0} in a row: wait {1} s")
    @CsvSource({"1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "6, 300", "7, 300", "50, 300"})
    void waitDoublesUpToFiveMinutes(int count, long seconds) {
        assertThat(RefusalMemory.delay(count)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void aRefusedStageIsHeldUntilItsNextTryAndForgottenOnceCreated() {
        RefusalMemory memory = new RefusalMemory();
        DistillationChain chain = TestChains.paper();
        Map<String, String> fingerprints = Map.of("teacher", "sha256:a", "student", "sha256:b");

        memory.refused(chain.getMetadata().getUid(), "teacher", "sha256:a", QUOTA, T0);
        memory.refused(chain.getMetadata().getUid(), "teacher", "sha256:a", QUOTA, T0.plusSeconds(10));

        assertThat(memory.held(chain, fingerprints, T0.plusSeconds(29))).containsOnlyKeys("teacher").containsValue(
                "spec.trainer.resources.memory: Kubernetes refused pod p-teacher-a1 (Forbidden): exceeded quota; "
                        + "next try at 2026-01-01T12:00:30Z (refused 2 times in a row)");
        assertThat(memory.held(chain, fingerprints, T0.plusSeconds(30))).as("due").isEmpty();
        assertThat(memory.nextTry(chain, fingerprints, T0.plusSeconds(25))).isEqualTo(Duration.ofSeconds(5));
        assertThat(memory.specErrors(chain, fingerprints)).as("a quota is the cluster's, not the spec's").isEmpty();

        memory.created(chain.getMetadata().getUid(), "teacher");

        assertThat(memory.held(chain, fingerprints, T0.plusSeconds(29))).isEmpty();
        assertThat(memory.nextTry(chain, fingerprints, T0)).isNull();
    }

    @Test
    void anEditOfTheStageStartsAfresh() {
        RefusalMemory memory = new RefusalMemory();
        DistillationChain chain = TestChains.paper();
        memory.refused(chain.getMetadata().getUid(), "teacher", "sha256:a", INVALID, T0);

        assertThat(memory.specErrors(chain, Map.of("teacher", "sha256:a"))).singleElement()
                .satisfies(e -> assertThat(e.toString()).isEqualTo("spec.trainer.resources: Kubernetes refused pod p-teacher-a1 (Invalid): bad value"));
        assertThat(memory.held(chain, Map.of("teacher", "sha256:edited"), T0)).isEmpty();
        assertThat(memory.specErrors(chain, Map.of("teacher", "sha256:edited"))).isEmpty();
        assertThat(memory.refused(chain.getMetadata().getUid(), "teacher", "sha256:edited", INVALID, T0).count()).isEqualTo(1);
    }
}
