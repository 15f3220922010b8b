package io.pbtnas.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pbtnas.core.contract.TrainerContract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** Starts one trainer process for a job, relays its progress lines, logs its output, waits for its exit. */
public final class TrainerRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainerCommand command;
    private final TrainerEnvironment environment;
    private final Path logDir;
    private final Children children;
    private final Consumer<TrainerProgress> progress;

    public TrainerRunner(TrainerCommand command, TrainerEnvironment environment, Path logDir, Children children,
                         Consumer<TrainerProgress> progress) {
        this.command = command;
        this.environment = environment;
        this.logDir = logDir;
        this.children = children;
        this.progress = progress;
    }

    /** How a trainer ended: its exit code and the last lines it printed (for error messages). */
    public record Exit(int code, String tail, Path log, double seconds) {
    }

    public Exit run(TrainerJob job) throws IOException, InterruptedException {
        Files.createDirectories(job.outputDir());
        Files.createDirectories(logDir);
        String name = "member-" + job.member() + "-gen-" + job.generation() + "-attempt-" + job.attempt();
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command.gatedArgv());
        // Contract variables of our own environment (a user's shell) must not leak into the trainer's.
        pb.environment().keySet().removeAll(TrainerContract.VARIABLES);
        pb.environment().putAll(environment.forStep(job.step()));
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        Deque<String> tail = new ArrayDeque<>();
        try (Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (!children.add(p, name)) {
                p.waitFor();
                return new Exit(130, "stopped", log, 0);
            }
            // Recorded in running/: let it start (see TrainerCommand.gatedArgv).
            try {
                p.getOutputStream().write('\n');
                p.getOutputStream().flush();
            } catch (IOException ended) {
                // It already ended (the built-in trainer may fail at once); its exit code says how.
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    if (!relay(job, line)) {
                        tail.addLast(line);
                        if (tail.size() > 30) {
                            tail.removeFirst();
                        }
                    }
                }
            }
            int code = p.waitFor();
            return new Exit(code, String.join("\n", tail), log, (System.nanoTime() - t0) / 1e9);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            p.getOutputStream().close();
            children.remove(p, name);
        }
    }

    /** True when the line was a progress event (relayed, not kept for error messages). */
    private boolean relay(TrainerJob job, String line) {
        if (!line.startsWith("{") || !line.contains("\"progress\"")) {
            return false;
        }
        try {
            JsonNode n = JSON.readTree(line);
            if (!"progress".equals(n.path("event").asText())) {
                return false;
            }
            progress.accept(new TrainerProgress(job.member(), job.generation(), n.path("epoch").asInt(-1),
                    n.path("batch").asInt(-1), n.path("batches").asInt(-1), n.path("loss").asDouble(Double.NaN)));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
