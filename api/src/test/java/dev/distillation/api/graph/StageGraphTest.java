package dev.distillation.api.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.distillation.api.Fixtures;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StageGraphTest {

    /** The fashion-takd example: teacher -> assistant -> student, teacher -> student-direct, student-alone. */
    private final StageGraph takd = StageGraph.of(Fixtures.fashionTakd().getSpec());

    @Test
    void topologicalOrderOfAnOrderedSpecIsSpecOrder() {
        assertThat(names(takd.topologicalOrder()))
                .containsExactly("teacher", "assistant", "student", "student-direct", "student-alone");
    }

    @Test
    void topologicalOrderPutsTeachersFirstAndKeepsSpecOrderOtherwise() {
        StageGraph graph = graph("c<b", "x", "b<a", "a", "y<a");
        assertThat(names(graph.topologicalOrder())).containsExactly("x", "a", "b", "c", "y");
    }

    static Stream<Arguments> readiness() {
        return Stream.of(
                Arguments.of(Set.of(), Set.of(), List.of("teacher", "student-alone")),
                Arguments.of(Set.of(), Set.of("teacher"), List.of("student-alone")),
                Arguments.of(Set.of("teacher"), Set.of(), List.of("assistant", "student-direct", "student-alone")),
                Arguments.of(Set.of("teacher"), Set.of("assistant", "student-alone"), List.of("student-direct")),
                Arguments.of(Set.of("teacher", "assistant"), Set.of(), List.of("student", "student-direct", "student-alone")),
                Arguments.of(Set.of("teacher", "student-alone"), Set.of("assistant"), List.of("student-direct")),
                // a failed (excluded) teacher keeps its students waiting
                Arguments.of(Set.of("teacher"), Set.of("assistant", "student-direct"), List.of("student-alone")),
                Arguments.of(Set.of("teacher", "assistant", "student", "student-direct", "student-alone"), Set.of(), List.of()));
    }

    @ParameterizedTest(name = "succeeded {0}, excluded {1} -> ready {2}")
    @MethodSource("readiness")
    void readyStagesHaveASucceededTeacherOrNone(Set<String> succeeded, Set<String> excluded, List<String> ready) {
        assertThat(takd.ready(succeeded, excluded)).containsExactlyElementsOf(ready);
    }

    static Stream<Arguments> descendants() {
        return Stream.of(
                Arguments.of("teacher", List.of("assistant", "student-direct", "student")),
                Arguments.of("assistant", List.of("student")),
                Arguments.of("student", List.of()),
                Arguments.of("student-direct", List.of()),
                Arguments.of("student-alone", List.of()));
    }

    @ParameterizedTest(name = "descendants of {0}: {1}")
    @MethodSource("descendants")
    void descendantsAreEveryStageThatLearnsFromIt(String stage, List<String> descendants) {
        assertThat(takd.descendants(stage)).containsExactlyInAnyOrderElementsOf(descendants);
    }

    static Stream<Arguments> ancestors() {
        return Stream.of(
                Arguments.of("teacher", List.of()),
                Arguments.of("assistant", List.of("teacher")),
                Arguments.of("student", List.of("assistant", "teacher")),
                Arguments.of("student-direct", List.of("teacher")),
                Arguments.of("student-alone", List.of()));
    }

    @ParameterizedTest(name = "ancestors of {0}: {1}")
    @MethodSource("ancestors")
    void ancestorsRunFromTheDirectTeacherToTheRoot(String stage, List<String> ancestors) {
        assertThat(takd.ancestors(stage)).containsExactlyElementsOf(ancestors);
    }

    @Test
    void leavesAreStagesNoOneLearnsFrom() {
        assertThat(takd.leaves()).containsExactly("student", "student-direct", "student-alone");
    }

    @Test
    void teachersAndStudents() {
        assertThat(takd.teacherOf("student")).contains("assistant");
        assertThat(takd.teacherOf("student-alone")).isEmpty();
        assertThat(takd.studentsOf("teacher")).containsExactly("assistant", "student-direct");
        assertThat(takd.studentsOf("student")).isEmpty();
        assertThat(takd.stage("assistant").getModel().getDepth()).isEqualTo(4);
        assertThat(names(List.copyOf(takd.stages()))).hasSize(5);
    }

    @Test
    void deepChainsAndForests() {
        StageGraph graph = graph("t", "ta1<t", "ta2<ta1", "s<ta2", "u", "v<u");
        assertThat(graph.descendants("t")).containsExactly("ta1", "ta2", "s");
        assertThat(graph.ancestors("s")).containsExactly("ta2", "ta1", "t");
        assertThat(graph.leaves()).containsExactly("s", "v");
        assertThat(graph.ready(Set.of("t", "ta1"), Set.of("u"))).containsExactly("ta2");
    }

    @Test
    void unknownStageIsAnError() {
        assertThatThrownBy(() -> takd.descendants("nobody")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no stage named 'nobody'");
        assertThatThrownBy(() -> takd.ancestors("nobody")).hasMessage("no stage named 'nobody'");
        assertThatThrownBy(() -> takd.studentsOf("nobody")).hasMessage("no stage named 'nobody'");
        assertThatThrownBy(() -> takd.teacherOf("nobody")).hasMessage("no stage named 'nobody'");
    }

    static Stream<Arguments> invalidGraphs() {
        return Stream.of(
                Arguments.of(List.of("a", "b<a", "a"), "duplicate stage name 'a'"),
                Arguments.of(List.of("a", "b<nobody"), "stage 'b' names unknown teacher 'nobody'"),
                Arguments.of(List.of("a<b", "b<a"), "the stages' teachers form a cycle"),
                Arguments.of(List.of("root", "a<c", "b<a", "c<b"), "the stages' teachers form a cycle"),
                Arguments.of(List.of("a<a"), "the stages' teachers form a cycle"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidGraphs")
    void constructorRejectsWhatTheValidatorReports(List<String> stages, String message) {
        assertThatThrownBy(() -> graph(stages.toArray(String[]::new)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    /** Stages written as "name" or "name<teacher". */
    static StageGraph graph(String... stages) {
        return StageGraph.of(Arrays.stream(stages).map(StageGraphTest::stage).toList());
    }

    static StageSpec stage(String spec) {
        String[] parts = spec.split("<");
        ModelSpec model = new ModelSpec();
        model.setArchitecture(Architecture.PLAIN_CNN);
        model.setDepth(2);
        StageSpec stage = new StageSpec();
        stage.setName(parts[0]);
        stage.setModel(model);
        stage.setTeacher(parts.length > 1 ? parts[1] : null);
        return stage;
    }

    static List<String> names(List<StageSpec> stages) {
        return stages.stream().map(StageSpec::getName).toList();
    }
}
