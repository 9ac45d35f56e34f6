package dev.distillation.operator.status;

import java.util.Locale;

/** Accuracy as a percentage with one decimal, e.g. 0.8412 as "84.1%": how status and events show accuracies. */
public final class Percent {

    private Percent() {}

    public static String of(Double accuracy) {
        return accuracy == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", accuracy * 100);
    }
}
