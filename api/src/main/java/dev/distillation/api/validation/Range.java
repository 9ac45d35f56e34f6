package dev.distillation.api.validation;

/**
 * The values a numeric field allows, as its schema annotations state them: a lower and an upper
 * bound (either may be absent), each inclusive or exclusive.
 */
public record Range(Double min, boolean minInclusive, Double max, boolean maxInclusive) {

    public boolean contains(Number value) {
        double v = value.doubleValue();
        if (Double.isNaN(v)) {
            return false;
        }
        boolean aboveMin = min == null || (minInclusive ? v >= min : v > min);
        boolean belowMax = max == null || (maxInclusive ? v <= max : v < max);
        return aboveMin && belowMax;
    }

    /** For messages: "between 1 and 32", "greater than 0 and at most 10", "at least 0 and less than 1", "at least 1". */
    public String describe() {
        if (min != null && max != null && minInclusive && maxInclusive) {
            return "between " + format(min) + " and " + format(max);
        }
        String lower = min == null ? null : (minInclusive ? "at least " : "greater than ") + format(min);
        String upper = max == null ? null : (maxInclusive ? "at most " : "less than ") + format(max);
        if (lower == null) {
            return upper == null ? "any number" : upper;
        }
        return upper == null ? lower : lower + " and " + upper;
    }

    /** 1.0 as "1", 5.0E-4 as it is. */
    static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
