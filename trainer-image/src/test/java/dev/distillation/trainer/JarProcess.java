package dev.distillation.trainer;

import dev.distillation.api.job.StageJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged trainer ({@code java -jar distillation-trainer.jar ARGS}) in a process of its own, as the image runs it. */
public final class JarProcess {

    public record Result(int exit, String out, String err) {}

    private JarProcess() {}

    /** The jar {@code verify} packages (failsafe passes its path). */
    public static Path jar() {
        return Path.of(System.getProperty("distill.jar", "target/distillation-trainer.jar"));
    }

    /** Runs the jar in {@code dir} with at most {@code maxHeap} of heap, without the StageJob variable of this process. */
    public static Result run(Path dir, String maxHeap, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove(StageJob.ENV_VAR);
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("distill did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }
}
