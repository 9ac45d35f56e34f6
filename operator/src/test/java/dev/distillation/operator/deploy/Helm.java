package dev.distillation.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The helm CLI, built from source by charts/tools/helm.sh (cached; a cold build takes several
 * minutes) unless the DISTILL_HELM environment variable names a helm binary to use instead.
 */
final class Helm {

    static final String RELEASE = "dop";
    static final String NAMESPACE = "ops";

    private static Path binary;

    private Helm() {}

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() { return exitCode == 0; }
    }

    static synchronized Path binary() {
        if (binary == null) {
            String given = System.getenv("DISTILL_HELM");
            if (given != null && !given.isBlank()) {
                binary = Path.of(given);
            } else {
                Result built = exec(30, List.of("bash", Repo.root().resolve("charts/tools/helm.sh").toString()), Repo.root());
                if (!built.ok()) {
                    throw new IllegalStateException("charts/tools/helm.sh failed (" + built.exitCode() + "):\n" + built.stderr());
                }
                String[] lines = built.stdout().strip().split("\n");
                binary = Path.of(lines[lines.length - 1].strip());
            }
        }
        return binary;
    }

    /** Runs helm with these arguments in the chart's folder. */
    static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        return exec(2, command, Repo.chart());
    }

    /** {@code helm template} of the chart with extra arguments (--set ...), parsed into one node per object. */
    static List<JsonNode> template(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, ".", "--namespace", NAMESPACE));
        args.addAll(List.of(extraArgs));
        Result r = run(args.toArray(String[]::new));
        if (!r.ok()) {
            throw new AssertionError("helm " + String.join(" ", args) + " failed:\n" + r.stderr());
        }
        return parseDocuments(r.stdout());
    }

    static List<JsonNode> parseDocuments(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("helm output is not YAML: " + e.getMessage() + "\n" + yaml, e);
        }
        return docs;
    }

    private static Result exec(int timeoutMinutes, List<String> command, Path dir) {
        try {
            File out = File.createTempFile("helm-out", ".txt");
            File err = File.createTempFile("helm-err", ".txt");
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out).redirectError(err).start();
                if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutMinutes + " min");
                }
                return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out.toPath());
                Files.deleteIfExists(err.toPath());
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
