package dev.distillation.operator.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.v1alpha1.StagePhase;
import dev.distillation.api.v1alpha1.StageProgress;
import dev.distillation.api.v1alpha1.StageStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveProgressTest {

    static StageStatus stage(String name, StagePhase phase, String pod) {
        StageStatus s = new StageStatus();
        s.setName(name);
        s.setPhase(phase);
        s.setPod(pod);
        return s;
    }

    static StageProgress progress(int epoch, int epochs, Double accuracy) {
        StageProgress p = new StageProgress();
        p.setEpoch(epoch);
        p.setEpochs(epochs);
        p.setTestAccuracy(accuracy);
        return p;
    }

    @Test
    void aRunningStageShowsItsCurrentPodsReading() {
        StageStatus teacher = stage("teacher", StagePhase.Running, "c-teacher-a2");
        StageProgress p = progress(57, 200, 0.7123);
        LiveProgress.attach(List.of(teacher), Set.of(new ProgressReading("teacher", "c-teacher-a2", p)));
        assertThat(teacher.getProgress()).isEqualTo(p);
    }

    @Test
    void aReadingOfAnEarlierAttemptOrAnotherStageIsNotShown() {
        StageStatus teacher = stage("teacher", StagePhase.Running, "c-teacher-a2");
        teacher.setProgress(progress(3, 10, 0.5));   // left from the last reconcile
        StageStatus student = stage("student", StagePhase.Running, "c-student-a1");
        LiveProgress.attach(List.of(teacher, student), Set.of(
                new ProgressReading("teacher", "c-teacher-a1", progress(9, 10, 0.8)),
                new ProgressReading("teacher", "c-student-a1", progress(9, 10, 0.8))));
        assertThat(teacher.getProgress()).isNull();
        assertThat(student.getProgress()).isNull();
    }

    @Test
    void aStageThatStoppedRunningLosesItsProgress() {
        StageStatus teacher = stage("teacher", StagePhase.Succeeded, "c-teacher-a1");
        StageProgress p = progress(10, 10, 0.9);
        teacher.setProgress(p);
        LiveProgress.attach(List.of(teacher), Set.of(new ProgressReading("teacher", "c-teacher-a1", p)));
        assertThat(teacher.getProgress()).isNull();
    }

    @Test
    void anEmptyDocumentFromATrainerThatHasNotStartedIsNoProgress() {
        StageStatus teacher = stage("teacher", StagePhase.Running, "c-teacher-a1");
        LiveProgress.attach(List.of(teacher), Set.of(new ProgressReading("teacher", "c-teacher-a1", new StageProgress())));
        assertThat(teacher.getProgress()).isNull();
    }

    @Test
    void theSummaryNamesEachTrainingStageWithEpochsAndAccuracy() {
        StageStatus teacher = stage("teacher", StagePhase.Running, "c-teacher-a1");
        teacher.setProgress(progress(57, 200, 0.7123));
        StageStatus alone = stage("student-alone", StagePhase.Running, "c-student-alone-a1");
        alone.setProgress(progress(0, 30, null));
        StageStatus waiting = stage("student", StagePhase.Waiting, null);
        assertThat(LiveProgress.summary(List.of(teacher, waiting, alone))).isEqualTo("teacher 57/200 71.2%, student-alone 0/30");
    }

    @Test
    void noSummaryWhileNothingTrains() {
        assertThat(LiveProgress.summary(List.of(stage("teacher", StagePhase.Pending, "c-teacher-a1")))).isNull();
    }
}
