package dev.distillation.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.local.LocalRunnerTest.FakeTrainer;
import dev.distillation.local.StageReport.CandidateReport;
import dev.distillation.local.StageReport.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distill run} on a chain whose assistant chooses among candidates, with a fake trainer that reports set scores. */
class ChoosingRunTest {

    static final String CHAIN = """
            apiVersion: distillation.dev/v1alpha1
            kind: DistillationChain
            metadata: {name: fake}
            spec:
              dataset: {builtin: fashion-mnist, validation: {size: 100}}
              training: {epochs: 1}
              stages:
                - {name: teacher, model: {architecture: plain-cnn, depth: 6}}
                - name: assistant
                  teacher: teacher
                  model: {architecture: plain-cnn, depth: 4}
                  candidates: {models: [{depth: 2}, {depth: 4}], temperature: %s}
                - {name: student, model: {architecture: plain-cnn, depth: 2}, teacher: assistant}
            """;

    static final String D2_T2 = "assistant-d2-w1-t2-a0.9";
    static final String D2_T4 = "assistant-d2-w1-t4-a0.9";
    static final String D4_T2 = "assistant-d4-w1-t2-a0.9";
    static final String D4_T4 = "assistant-d4-w1-t4-a0.9";

    @TempDir
    Path work;

    private LocalRunner.Result run(FakeTrainer trainer, String temperatures, StringWriter log) throws Exception {
        DistillationChain chain = ChainYaml.parse("chain.yaml", CHAIN.formatted(temperatures));
        assertThat(dev.distillation.api.validation.ChainValidator.validate(chain)).isEmpty();
        PrintWriter out = new PrintWriter(log, true);
        return new LocalRunner(trainer, null, out).run(chain, new LocalRunner.Settings(work, Overrides.NONE, Map.of()));
    }

    private Path dir(String name) {
        return work.resolve("fake").resolve(name).toAbsolutePath();
    }

    @Test
    void trainsEveryCandidateKeepsTheBestOnValidationAndTheStudentLearnsFromIt() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        trainer.validationOf.putAll(Map.of(D2_T4, 0.80, D4_T2, 0.82, D4_T4, 0.86, "teacher", 0.9, "student", 0.7));
        trainer.failWith.put(D2_T2, 1);
        StringWriter log = new StringWriter();

        LocalRunner.Result first = run(trainer, "[2, 4]", log);

        assertThat(first.exitCode()).as("a failed candidate fails neither its stage nor the run").isZero();
        assertThat(trainer.stages()).containsExactly("teacher", D2_T2, D2_T4, D4_T2, D4_T4, "student");
        assertThat(trainer.jobs.get(1).teacherDir()).isEqualTo(dir("teacher").toString());
        assertThat(trainer.jobs.get(4).outputDir()).isEqualTo(dir(D4_T4).toString());
        assertThat(trainer.jobs.get(4).training().getTemperature()).isEqualTo(4.0);
        assertThat(trainer.jobs.get(4).validation()).as("the chain's split, for every job").isEqualTo(trainer.jobs.get(0).validation());
        assertThat(trainer.jobs.get(5).teacherDir()).as("the student learns from the chosen candidate")
                .isEqualTo(dir(D4_T4).toString());

        StageReport assistant = first.report().stage("assistant");
        assertThat(assistant.selected()).isEqualTo(D4_T4);
        assertThat(assistant.depth()).isEqualTo(4);
        assertThat(assistant.metrics().getValidationAccuracy()).isEqualTo(0.86);
        assertThat(assistant.outcome()).isEqualTo(Outcome.TRAINED);
        assertThat(assistant.candidates()).extracting(CandidateReport::name).containsExactly(D2_T2, D2_T4, D4_T2, D4_T4);
        assertThat(assistant.candidates()).extracting(CandidateReport::chosen).containsExactly(false, false, false, true);
        assertThat(assistant.candidates().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(assistant.candidates().get(0).message()).isEqualTo("boom in " + D2_T2);
        assertThat(assistant.candidates()).extracting(CandidateReport::temperature).containsExactly(2.0, 4.0, 2.0, 4.0);
        assertThat(log.toString()).contains("* assistant chose " + D4_T4 + " of 4 candidates by validation accuracy: val acc 86.00%");

        JsonNode json = new ObjectMapper().readTree(first.chainDir().resolve("report.json").toFile());
        JsonNode a = json.at("/stages/1");
        assertThat(a.get("name").asText()).isEqualTo("assistant");
        assertThat(a.get("selected").asText()).isEqualTo(D4_T4);
        assertThat(a.get("candidates")).hasSize(4);
        assertThat(a.at("/candidates/3/metrics/validationAccuracy").asDouble()).isEqualTo(0.86);
        assertThat(json.at("/stages/0/selected").isMissingNode()).as("a stage without candidates has no selection").isTrue();
        String md = Files.readString(first.chainDir().resolve("report.md"));
        assertThat(md).contains("## Candidates of `assistant`\n\nChosen by validation accuracy: `" + D4_T4 + "`.")
                .contains("| **" + D4_T4 + "** (chosen) | plain-cnn-4 | 4 | 0.9 | 86.00% |")
                .contains("| " + D2_T2 + " | plain-cnn-2 | 2 | 0.9 | - | - | failed: boom in " + D2_T2 + " |")
                .contains("| Stage | Model | Teacher | Val acc | Test acc |");
    }

    @Test
    void runningAgainReusesEveryCandidateAndAddingAValueTrainsOnlyTheNewOnes() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        trainer.validationOf.putAll(Map.of(D2_T2, 0.81, D2_T4, 0.80, D4_T2, 0.82, D4_T4, 0.86));
        run(trainer, "[2, 4]", new StringWriter());

        trainer.jobs.clear();
        LocalRunner.Result again = run(trainer, "[2, 4]", new StringWriter());
        assertThat(trainer.jobs).isEmpty();
        assertThat(again.report().stage("assistant").selected()).isEqualTo(D4_T4);
        assertThat(again.report().stage("assistant").candidates()).extracting(CandidateReport::outcome).containsOnly(Outcome.REUSED);
        assertThat(again.report().stage("student").outcome()).isEqualTo(Outcome.REUSED);

        // a new temperature whose candidates score lower: they train, the choice stays, the student is kept
        trainer.validationOf.putAll(Map.of("assistant-d2-w1-t8-a0.9", 0.5, "assistant-d4-w1-t8-a0.9", 0.6));
        LocalRunner.Result lower = run(trainer, "[2, 4, 8]", new StringWriter());
        assertThat(trainer.stages()).containsExactly("assistant-d2-w1-t8-a0.9", "assistant-d4-w1-t8-a0.9");
        assertThat(lower.report().stage("assistant").selected()).isEqualTo(D4_T4);
        assertThat(lower.report().stage("student").outcome()).isEqualTo(Outcome.REUSED);

        // one that scores higher: the choice changes, so the student learns again, from the new choice
        trainer.jobs.clear();
        trainer.validationOf.put("assistant-d4-w1-t16-a0.9", 0.9);
        LocalRunner.Result higher = run(trainer, "[2, 4, 8, 16]", new StringWriter());
        assertThat(trainer.stages()).containsExactly("assistant-d2-w1-t16-a0.9", "assistant-d4-w1-t16-a0.9", "student");
        assertThat(higher.report().stage("assistant").selected()).isEqualTo("assistant-d4-w1-t16-a0.9");
        assertThat(trainer.jobs.get(2).teacherDir()).isEqualTo(dir("assistant-d4-w1-t16-a0.9").toString());
    }

    @Test
    void whenEveryCandidateFailsTheStageFailsAndItsStudentIsSkipped() throws Exception {
        FakeTrainer trainer = new FakeTrainer();
        for (String c : new String[] {D2_T2, D2_T4, D4_T2, D4_T4}) {
            trainer.failWith.put(c, 1);
        }
        StringWriter log = new StringWriter();
        LocalRunner.Result r = run(trainer, "[2, 4]", log);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(trainer.stages()).containsExactly("teacher", D2_T2, D2_T4, D4_T2, D4_T4);
        StageReport assistant = r.report().stage("assistant");
        assertThat(assistant.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(assistant.selected()).isNull();
        assertThat(assistant.message()).isEqualTo("no candidate has a validation accuracy to choose by (4 failed or skipped)");
        assertThat(r.report().stage("student").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(log.toString()).contains("! assistant: no candidate has a validation accuracy");
    }
}
