package dev.distillation.api.text;

import java.util.Locale;

/**
 * How numbers read wherever people see them: durations, accuracies as percentages, differences of
 * accuracy in percentage points. One place, so that the trainer's log, {@code distill run}'s table and
 * reports, and a chain's status summary say the same thing the same way. Always in the root locale
 * (a decimal point, whatever the machine's language); a missing value reads "-".
 */
public final class Formats {

    /** What a missing value reads as. */
    public static final String MISSING = "-";

    private Formats() {}

    /** "48.2s" under a minute, "4m 10s" under an hour, then "1h 02m". */
    public static String duration(Double seconds) {
        if (seconds == null) {
            return MISSING;
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    /** A fraction (0..1) as a percentage with two decimals: 0.8412 → "84.12%". */
    public static String percent(Double fraction) {
        return percent(fraction, 2);
    }

    /** A fraction (0..1) as a percentage with {@code decimals} decimals: 0.8412, 1 → "84.1%". */
    public static String percent(Double fraction, int decimals) {
        return fraction == null ? MISSING : String.format(Locale.ROOT, "%." + decimals + "f%%", fraction * 100);
    }

    /** A difference in percentage points, signed: 0.9 → "+0.90 pts"; "?" when it is unknown. */
    public static String signedPoints(Double points) {
        return points == null ? "?" : String.format(Locale.ROOT, "%+.2f pts", points);
    }

    /** How many percentage points fraction {@code a} is above {@code b}, to two decimals: 0.841, 0.832 → 0.9. */
    public static double pointsAbove(double a, double b) {
        return Math.round((a - b) * 10000.0) / 100.0;
    }
}
