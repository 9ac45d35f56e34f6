package dev.distillation.api.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.ChainFileException;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.graph.Candidates.Candidate;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A stage's candidates: every combination, named after its values; names and fingerprints stable as lists grow. */
class CandidatesTest {

    static final String CHAIN = """
            apiVersion: distillation.dev/v1alpha1
            kind: DistillationChain
            metadata: {name: choose}
            spec:
              dataset: {builtin: fashion-mnist, validation: {size: 5000}}
              training: {epochs: 3, temperature: 3, alpha: 0.7}
              stages:
                - name: teacher
                  model: {architecture: plain-cnn, depth: 10}
                  candidates: {models: [{depth: 8}, {depth: 10, width: 0.5}]}
                - name: assistant
                  teacher: teacher
                  model: {architecture: plain-cnn, depth: 4}
                  candidates:
                    models: [{depth: 4}, {depth: 6}, {depth: 8, width: 0.5}]
                    temperature: [2, 4]
                    alpha: [0.5, 0.9]
                - name: student
                  teacher: assistant
                  model: {architecture: plain-cnn, depth: 2}
                  training: {alpha: 0.2}
                  candidates: {temperature: [1, 8]}
            """;

    static DistillationChainSpec spec(String yaml) throws ChainFileException {
        DistillationChain chain = ChainYaml.parse("choose.yaml", yaml);
        return chain.getSpec();
    }

    static StageSpec stage(DistillationChainSpec spec, String name) {
        return spec.getStages().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyCombinationModelsVaryingSlowest() throws ChainFileException {
        DistillationChainSpec spec = spec(CHAIN);
        List<Candidate> candidates = Candidates.of(spec, stage(spec, "assistant"));

        assertThat(candidates).extracting(Candidate::name).containsExactly(
                "assistant-d4-w1-t2-a0.5", "assistant-d4-w1-t2-a0.9", "assistant-d4-w1-t4-a0.5", "assistant-d4-w1-t4-a0.9",
                "assistant-d6-w1-t2-a0.5", "assistant-d6-w1-t2-a0.9", "assistant-d6-w1-t4-a0.5", "assistant-d6-w1-t4-a0.9",
                "assistant-d8-w0.5-t2-a0.5", "assistant-d8-w0.5-t2-a0.9", "assistant-d8-w0.5-t4-a0.5", "assistant-d8-w0.5-t4-a0.9");
        assertThat(Candidates.count(stage(spec, "assistant"))).isEqualTo(12);

        StageSpec last = candidates.get(11).stage();
        assertThat(last.getName()).isEqualTo("assistant-d8-w0.5-t4-a0.9");
        assertThat(last.getTeacher()).isEqualTo("teacher");
        assertThat(last.getModel().getArchitecture().value()).isEqualTo("plain-cnn");
        assertThat(last.getModel().getDepth()).isEqualTo(8);
        assertThat(last.getModel().getWidth()).isEqualTo(0.5);
        assertThat(spec.resolvedTraining(last).getTemperature()).isEqualTo(4.0);
        assertThat(spec.resolvedTraining(last).getAlpha()).isEqualTo(0.9);
        assertThat(spec.resolvedTraining(last).getEpochs()).as("the chain's other settings").isEqualTo(3);
        assertThat(last.getCandidates()).isNull();
    }

    @Test
    void aListLeftOutIsTheStagesOwnValueAndAStageWithoutTeacherVariesItsModelOnly() throws ChainFileException {
        DistillationChainSpec spec = spec(CHAIN);

        assertThat(Candidates.of(spec, stage(spec, "teacher"))).extracting(Candidate::name)
                .containsExactly("teacher-d8-w1", "teacher-d10-w0.5");
        List<Candidate> student = Candidates.of(spec, stage(spec, "student"));
        assertThat(student).extracting(Candidate::name).containsExactly("student-d2-w1-t1-a0.2", "student-d2-w1-t8-a0.2");
        assertThat(student).allSatisfy(c -> assertThat(spec.resolvedTraining(c.stage()).getAlpha()).isEqualTo(0.2));
        assertThat(spec.resolvedTraining(stage(spec, "student")).getAlpha()).as("the spec is left as it was").isEqualTo(0.2);
    }

    @Test
    void addingAValueTrainsOnlyTheNewCombinations() throws ChainFileException {
        DistillationChainSpec before = spec(CHAIN);
        DistillationChainSpec after = spec(CHAIN.replace("temperature: [2, 4]", "temperature: [2, 4, 8]"));
        String teacherFingerprint = "sha256:teacher";

        Map<String, String> was = fingerprints(before, teacherFingerprint);
        Map<String, String> now = fingerprints(after, teacherFingerprint);

        assertThat(now).hasSize(18).containsAllEntriesOf(was);
        assertThat(now.keySet()).filteredOn(n -> !was.containsKey(n)).hasSize(6).allMatch(n -> n.contains("-t8-"));
    }

    @Test
    void aCandidateWithTheStagesOwnValuesHasThePlainStagesFingerprint() throws ChainFileException {
        DistillationChainSpec spec = spec(CHAIN);
        StageSpec assistant = stage(spec, "assistant");
        Candidate own = Candidates.of(spec, assistant).stream().filter(c -> c.name().equals("assistant-d4-w1-t3-a0.7")).findFirst()
                .orElse(null);
        assertThat(own).as("3 and 0.7 are not listed").isNull();

        DistillationChainSpec listed = spec(CHAIN.replace("temperature: [2, 4]", "temperature: [3]").replace("alpha: [0.5, 0.9]", "alpha: [0.7]"));
        Candidate same = Candidates.of(listed, stage(listed, "assistant")).get(0);
        assertThat(same.name()).isEqualTo("assistant-d4-w1-t3-a0.7");
        assertThat(Fingerprints.of(listed, same.stage(), "sha256:t")).isEqualTo(Fingerprints.of(spec, assistant, "sha256:t"));
    }

    private static Map<String, String> fingerprints(DistillationChainSpec spec, String teacherFingerprint) {
        return Candidates.of(spec, stage(spec, "assistant")).stream()
                .collect(Collectors.toMap(Candidate::name, c -> Fingerprints.of(spec, c.stage(), teacherFingerprint), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

}
