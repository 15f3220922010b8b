package io.pbtnas.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Evaluates a trained network without training it: runs the trainer's
 * evaluate mode (PBTNAS_MODE=evaluate) on an exported best/ folder or a member
 * checkpoint, with the task settings the network was scored with.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** What to evaluate: the checkpoint and the context found around it. */
    public record Target(Path model, String task, Map<String, Object> taskArgs, String searchSpaceJson,
                         String genomeJson) {
    }

    public record Result(double validationAccuracy, double testAccuracy, JsonNode metrics) {
    }

    /**
     * Finds the checkpoint and its context: {@code path} may be a best/ folder, a
     * members/M/gen-G folder, or a .safetensors file. Task settings come from
     * best/task.json or, for a member, from the work directory's search.json.
     */
    public static Target locate(Path path) throws IOException {
        Path model = Files.isDirectory(path) ? path.resolve(CheckpointLayout.MODEL) : path;
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(path + ": no " + CheckpointLayout.MODEL + " here; give an exported "
                    + "best/ folder, a members/<m>/gen-<g>/ folder, or a .safetensors file");
        }
        Path dir = model.toAbsolutePath().getParent();
        String task = null;
        Map<String, Object> args = new LinkedHashMap<>();
        Optional<JsonNode> taskJson = read(dir.resolve(BestExport.TASK));
        Optional<JsonNode> search = taskJson.isPresent() ? Optional.empty() : searchRecordAbove(dir);
        JsonNode trainer = taskJson.orElse(search.map(s -> s.path("spec").path("trainer")).orElse(null));
        if (trainer != null) {
            task = trainer.path("task").isTextual() ? trainer.path("task").asText() : null;
            if (trainer.path("args").isObject()) {
                args = Json.MAPPER.convertValue(trainer.path("args"), LinkedHashMap.class);
            }
        }
        String space = text(dir.resolve(CheckpointLayout.SEARCH_SPACE)).orElse(
                search.map(s -> s.path("spec").path("searchSpace")).filter(JsonNode::isObject)
                        .map(JsonNode::toString).orElse(null));
        String genome = text(dir.resolve(CheckpointLayout.GENOME)).orElse(null);
        return new Target(model, task, args, space, genome);
    }

    /** Runs the trainer in evaluate mode; {@code log} receives its output. */
    public static Result run(Target t, TrainerCommand trainer, int threads, Path log)
            throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("pbtnas-eval-");
        try {
            ProcessBuilder pb = new ProcessBuilder(trainer.argv());
            Map<String, String> env = pb.environment();
            env.put("PBTNAS_MODE", "evaluate");
            env.put("PBTNAS_INPUT", t.model().toAbsolutePath().toString());
            env.put("PBTNAS_OUTPUT_DIR", out.toString());
            env.put("PBTNAS_TERMINATION_LOG", out.resolve("termination-log").toString());
            env.put("PBTNAS_TASK_ARGS", Json.write(t.taskArgs()));
            if (t.task() != null) {
                env.put("PBTNAS_TASK", t.task());
            }
            if (t.searchSpaceJson() != null) {
                env.put("PBTNAS_SEARCH_SPACE", t.searchSpaceJson());
            }
            if (t.genomeJson() != null) {
                env.put("PBTNAS_GENOME", t.genomeJson());
            }
            if (trainer.builtIn() && !t.taskArgs().containsKey("threads")) {
                env.put("PBTNAS_THREADS", Integer.toString(threads));
            }
            env.put("DJL_OFFLINE", "true");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            int code = p.waitFor();
            p.getOutputStream().close();
            Path metrics = out.resolve(CheckpointLayout.METRICS);
            if (code != 0 || !Files.isRegularFile(metrics)) {
                java.util.List<String> lines = Files.exists(log) ? Files.readAllLines(log).stream()
                        .filter(l -> !l.contains("\"progress\"")).toList() : java.util.List.of();
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
                throw new IllegalStateException("evaluation failed: trainer exited with code " + code
                        + (tail.isBlank() ? "" : ":\n" + tail) + "\n(full log: " + log + ")");
            }
            JsonNode m = Json.MAPPER.readTree(Files.readString(metrics));
            return new Result(m.path("validationAccuracy").asDouble(m.path("score").asDouble(Double.NaN)),
                    m.path("testAccuracy").asDouble(Double.NaN), m);
        } finally {
            try (Stream<Path> files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** members/M/gen-G → the work directory three levels up, if it has search.json. */
    private static Optional<JsonNode> searchRecordAbove(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Optional<JsonNode> n = read(p.resolve(WorkDir.SEARCH));
            if (n.isPresent()) {
                return n;
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> read(Path file) throws IOException {
        Optional<String> s = text(file);
        return s.isPresent() ? Optional.of(Json.MAPPER.readTree(s.get())) : Optional.empty();
    }

    private static Optional<String> text(Path file) throws IOException {
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    }
}
