package io.pbtnas.deploytests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the things users install live in the source tree. */
final class RepoPaths {
    private RepoPaths() {}

    /** The repository root: the first directory up from the working directory that holds the chart. */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("helm/pbtnas/Chart.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no helm/pbtnas/Chart.yaml in " + dir + " or above: run the tests from the repository");
    }

    static Path chart() {
        return root().resolve("helm/pbtnas");
    }

    static Path crds() {
        return root().resolve("crds");
    }

    static Path examples() {
        return root().resolve("examples");
    }
}
