package dev.distillation.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads an operator's log: how often it did something for one chain. */
public final class OperatorLog {

    /** What the operator logs when a reconcile throws and the SDK retries it. */
    public static final String RECONCILE_ERROR = "failed; retrying";

    private OperatorLog() {}

    /** Lines of {@code log} that mention chain {@code namespace}/{@code chain} and contain {@code text}. */
    public static long count(Path log, String namespace, String chain, String text) {
        String subject = namespace + "/" + chain + " ";
        String subjectColon = namespace + "/" + chain + ":";
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text) && (l.contains(subject) || l.contains(subjectColon))).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reconciles of the chain that threw (each is followed by a retry). */
    public static long reconcileErrors(Path log, String namespace, String chain) {
        return count(log, namespace, chain, RECONCILE_ERROR);
    }
}
