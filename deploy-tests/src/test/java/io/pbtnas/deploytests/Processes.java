package io.pbtnas.deploytests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program from the repository root and captures what it says (helm, the e2e scenario). */
final class Processes {
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private Processes() {}

    /** Fails with the command named when it cannot start, or is still running after {@code timeout}. */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("process-out", ".txt");
            Path err = Files.createTempFile("process-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(RepoPaths.root().toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in "
                            + timeout.toSeconds() + " s; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
