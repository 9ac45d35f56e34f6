package dev.distillation.operator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeTroubleTest {

    static Event event(String kind, String pod, String reason, String message, String last) {
        return new EventBuilder().withNewMetadata().withName(pod + "." + last).withNamespace("ml").endMetadata()
                .withNewInvolvedObject().withKind(kind).withName(pod).endInvolvedObject()
                .withType("Warning").withReason(reason).withMessage(message).withLastTimestamp(last).build();
    }

    static StageStatus stage(StagePhase phase, String pod, String message) {
        StageStatus s = new StageStatus();
        s.setName("student-b");
        s.setPhase(phase);
        s.setPod(pod);
        s.setMessage(message);
        return s;
    }

    static final String MULTI_ATTACH = "Multi-Attach error for volume \"pvc-1f3\" Volume is already used by pod(s) c-student-a-a1";

    @Test
    void aPendingStageShowsTheLatestVolumeWarningOfItsPod() {
        StageStatus s = stage(StagePhase.Pending, "c-student-b-a1", "ContainerCreating");
        VolumeTrouble.attach(List.of(s), List.of(
                event("Pod", "c-student-b-a1", "FailedMount", "Unable to attach or mount volumes: timed out", "2026-03-01T10:00:00Z"),
                event("Pod", "c-student-b-a1", "FailedAttachVolume", MULTI_ATTACH, "2026-03-01T10:02:00Z"),
                event("Pod", "c-student-b-a1", "FailedScheduling", "0/3 nodes are available", "2026-03-01T10:03:00Z")));
        assertThat(s.getMessage()).isEqualTo("FailedAttachVolume: " + MULTI_ATTACH);
    }

    @Test
    void otherPodsOtherKindsAndStagesNotPendingKeepTheirMessage() {
        StageStatus running = stage(StagePhase.Running, "c-student-b-a1", null);
        StageStatus otherPod = stage(StagePhase.Pending, "c-student-b-a2", "ContainerCreating");
        List<Event> events = List.of(event("Pod", "c-student-b-a1", "FailedMount", "timed out", "2026-03-01T10:00:00Z"),
                event("PersistentVolumeClaim", "c-student-b-a2", "FailedMount", "not a Pod", "2026-03-01T10:00:00Z"));
        VolumeTrouble.attach(List.of(running, otherPod), events);
        assertThat(running.getMessage()).isNull();
        assertThat(otherPod.getMessage()).isEqualTo("ContainerCreating");
    }
}
