package dev.distillation.api.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.graph.CandidateSelection.Score;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The selection rule, one row per case: best validation accuracy, then lower validation loss, then listed first. */
class CandidateSelectionTest {

    static Stream<Arguments> table() {
        return Stream.of(
                row("the highest validation accuracy wins", "b", s("a", 0.80, 0.5), s("b", 0.85, 0.9), s("c", 0.82, 0.1)),
                row("a tie on accuracy goes to the lower validation loss", "c", s("a", 0.85, 0.40), s("b", 0.80, 0.1),
                        s("c", 0.85, 0.35)),
                row("a full tie goes to the candidate listed first", "a", s("a", 0.85, 0.40), s("b", 0.85, 0.40)),
                row("... whatever the order of the others", "b", s("c", 0.70, 0.1), s("b", 0.85, 0.40), s("a", 0.85, 0.40)),
                row("a tie where one has no loss goes to the one with a loss", "b", s("a", 0.85, null), s("b", 0.85, 0.9)),
                row("a failed candidate (no result) is passed over", "b", s("a", null, null), s("b", 0.60, 1.2)),
                row("a failed candidate listed first does not win a tie", "c", s("a", null, null), s("c", 0.6, 1.0), s("b", 0.6, 1.0)),
                row("a NaN accuracy counts as no result", "b", s("a", Double.NaN, 0.1), s("b", 0.1, 2.3)),
                row("when every candidate failed there is no choice", null, s("a", null, null), s("b", null, null)),
                row("no candidates, no choice", null),
                row("one candidate is chosen", "a", s("a", 0.0, 2.3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void chooses(String rule, String expected, List<Score> scores) {
        assertThat(CandidateSelection.choose(scores)).isEqualTo(Optional.ofNullable(expected));
    }

    private static Arguments row(String rule, String expected, Score... scores) {
        return Arguments.of(rule, expected, Arrays.asList(scores));
    }

    private static Score s(String name, Double accuracy, Double loss) {
        return new Score(name, accuracy, loss);
    }
}
