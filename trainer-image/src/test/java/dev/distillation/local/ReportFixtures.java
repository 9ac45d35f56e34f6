package dev.distillation.local;

import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.local.StageReport.Outcome;
import java.util.List;
import java.util.Map;

/** The report of a five-stage teacher-assistant chain, with its teachers (as StageGraph.ancestors gives them). */
final class ReportFixtures {

    private ReportFixtures() {}

    static StageReport stage(String name, int depth, String teacher, double acc, Outcome outcome) {
        StageMetrics m = new StageMetrics();
        m.setTestAccuracy(acc);
        m.setBestTestAccuracy(acc + 0.001);
        m.setEpochs(3);
        m.setTrainSeconds(125.0);
        return new StageReport(name, "plain-cnn", depth, 1.0, teacher, outcome == Outcome.REUSED, outcome, null,
                "sha256:x", m, List.of());
    }

    static final List<StageReport> STAGES = List.of(
            stage("teacher", 10, null, 0.912, Outcome.TRAINED),
            stage("assistant", 4, "teacher", 0.887, Outcome.TRAINED),
            stage("student", 2, "assistant", 0.841, Outcome.TRAINED),
            stage("student-direct", 2, "teacher", 0.832, Outcome.REUSED),
            stage("student-alone", 2, null, 0.820, Outcome.REUSED));

    static final Map<String, List<String>> ANCESTORS = Map.of(
            "assistant", List.of("teacher"), "student", List.of("assistant", "teacher"),
            "student-direct", List.of("teacher"));
}
