package dev.distillation.api.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

    @ParameterizedTest(name = "{0} s -> {1}")
    @CsvSource({
            "0, 0.0s",
            "4.25, 4.3s",
            "59.94, 59.9s",
            "60, 1m 00s",
            "250, 4m 10s",
            "3599.4, 59m 59s",
            "3600, 1h 00m",
            "3725, 1h 02m",
            "90061, 25h 01m"})
    void durations(double seconds, String text) {
        assertThat(Formats.duration(seconds)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0.912, 91.20%, 91.2%",
            "0.84126, 84.13%, 84.1%",
            "1.0, 100.00%, 100.0%",
            "0.0, 0.00%, 0.0%"})
    void percents(double fraction, String twoDecimals, String oneDecimal) {
        assertThat(Formats.percent(fraction)).isEqualTo(twoDecimals);
        assertThat(Formats.percent(fraction, 1)).isEqualTo(oneDecimal);
    }

    @ParameterizedTest(name = "{0} pts -> {1}")
    @CsvSource({"0.9, +0.90 pts", "-2.1, -2.10 pts", "0, +0.00 pts"})
    void signedPoints(double points, String text) {
        assertThat(Formats.signedPoints(points)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} above {1} = {2} pts")
    @CsvSource({"0.841, 0.832, 0.9", "0.820, 0.841, -2.1", "0.88424, 0.89126, -0.7", "0.5, 0.5, 0.0"})
    void pointsAbove(double a, double b, double points) {
        assertThat(Formats.pointsAbove(a, b)).isEqualTo(points);
    }

    @org.junit.jupiter.api.Test
    void missingValues() {
        assertThat(Formats.duration(null)).isEqualTo("-");
        assertThat(Formats.percent(null)).isEqualTo("-");
        assertThat(Formats.percent(null, 1)).isEqualTo("-");
        assertThat(Formats.signedPoints(null)).isEqualTo("?");
    }
}
