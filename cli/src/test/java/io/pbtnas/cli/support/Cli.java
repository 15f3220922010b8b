package io.pbtnas.cli.support;

import io.pbtnas.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs `pbtnas` in this JVM (capturing its output) or as a child JVM (so a test can kill it). */
public final class Cli {
    private Cli() {
    }

    public record Result(int code, String out, String err) {
    }

    /** In-process: Main.execute with System.out/err captured. */
    public static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The command line of a child JVM running {@code mainClass} on this test's classpath. */
    public static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The fake trainer as a --trainer-command value (run by /bin/sh). */
    public static String fakeTrainerCommand() {
        StringBuilder b = new StringBuilder();
        for (String part : java(FakeTrainer.class.getName())) {
            b.append('\'').append(part.replace("'", "'\\''")).append("' ");
        }
        return b.toString().trim();
    }

    /**
     * `pbtnas ARGS` in a child JVM with extra environment, as a pod's container runs it; waits for it.
     * Its stdout and stderr together (in {@code log}) are both {@code out} and {@code err}.
     */
    public static Result child(Path log, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = start(log, env, args);
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("pbtnas " + String.join(" ", args) + " did not finish within 5 minutes");
        }
        String out = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out, out);
    }

    /** Starts `pbtnas ARGS` as a child JVM, output to {@code log}, with extra environment. */
    public static Process start(Path log, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(java(Main.class.getName(), args));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }
}
