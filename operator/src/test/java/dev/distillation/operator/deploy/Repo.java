package dev.distillation.operator.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository checkout the tests run in. */
final class Repo {

    private Repo() {}

    /** The repository root: the nearest folder above the working directory that holds charts/ and pom.xml. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("charts/distillation-operator")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with charts/distillation-operator) above " + dir);
    }

    static Path chart() {
        return root().resolve("charts/distillation-operator");
    }
}
