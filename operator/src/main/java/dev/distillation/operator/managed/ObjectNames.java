package dev.distillation.operator.managed;

/**
 * The names of a stage's objects. Deterministic, so that a create racing an earlier one fails
 * with a conflict instead of making a duplicate, and a restarted operator finds what it made.
 */
public final class ObjectNames {

    private static final String ATTEMPT_INFIX = "-a";

    private ObjectNames() {}

    /** {@code <chain>-<stage>-a<attempt>}. */
    public static String pod(String chain, String stage, int attempt) {
        return chain + "-" + stage + ATTEMPT_INFIX + attempt;
    }

    /** {@code <chain>-<stage>}: the stage's checkpoint volume. */
    public static String volume(String chain, String stage) {
        return chain + "-" + stage;
    }

    /** The N of a Pod named {@code ...-aN}; 1 for a name not made by {@link #pod}. */
    public static int attemptOfPod(String podName) {
        int i = podName.lastIndexOf(ATTEMPT_INFIX);
        try {
            return i < 0 ? 1 : Integer.parseInt(podName.substring(i + ATTEMPT_INFIX.length()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
