package dev.distillation.operator.observer;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the one line of a failed trainer's termination message that says what went wrong. The
 * trainer writes {@code error: <reason>} there itself; when it could not (the JVM died first), the
 * kubelet falls back to the tail of the container's log ({@code FallbackToLogsOnError}), which is
 * usually a stack trace whose last line is a frame ({@code at ...}) that explains nothing. Pure.
 */
public final class TerminationMessage {

    /** Longest line kept; a status message is read in a terminal. */
    static final int MAX_LENGTH = 300;

    /** The trainer's own one-line reason: {@code error: ...} in the termination message, {@code distill train: error: ...} on stderr. */
    private static final Pattern ERROR_LINE = Pattern.compile("^(distill [a-z]+: )?error: (.+)$");
    private static final String CAUSED_BY = "Caused by: ";
    /** {@code Exception in thread "main" } in front of an uncaught exception. */
    private static final Pattern UNCAUGHT = Pattern.compile("^Exception in thread \"[^\"]*\" ");
    /** A throwable's header: a qualified class name ending in Exception, Error or Throwable, and its message. */
    private static final Pattern THROWABLE = Pattern.compile("^([a-zA-Z_$][\\w$]*\\.)+[\\w$]*(Exception|Error|Throwable)(: .*)?$");
    /** Stack frames and the lines between them that explain nothing on their own. */
    private static final Pattern FRAME = Pattern.compile("^(at |\\.\\.\\. \\d+ more|Suppressed: |\\.\\.\\.$)");

    private TerminationMessage() {}

    /**
     * In order: the trainer's own {@code error: } line (the last one); else the root cause of a
     * stack trace (the last {@code Caused by:}), else its first exception line; else the last line
     * that is not a stack frame; else the last line. Empty text gives an empty string.
     */
    public static String reason(String text) {
        List<String> lines = Arrays.stream(text.strip().split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        String errorLine = null;
        String causedBy = null;
        String firstThrowable = null;
        String lastPlain = null;
        for (String line : lines) {
            Matcher error = ERROR_LINE.matcher(line);
            if (error.matches()) {
                errorLine = error.group(2);
            } else if (line.startsWith(CAUSED_BY)) {
                causedBy = line.substring(CAUSED_BY.length());
            } else if (firstThrowable == null && THROWABLE.matcher(UNCAUGHT.matcher(line).replaceFirst("")).matches()) {
                firstThrowable = UNCAUGHT.matcher(line).replaceFirst("");
            } else if (!FRAME.matcher(line).find()) {
                lastPlain = line;
            }
        }
        String pick = errorLine != null ? errorLine
                : causedBy != null ? causedBy
                : firstThrowable != null ? firstThrowable
                : lastPlain != null ? lastPlain
                : lines.get(lines.size() - 1);
        return pick.length() > MAX_LENGTH ? pick.substring(0, MAX_LENGTH) + "..." : pick;
    }
}
