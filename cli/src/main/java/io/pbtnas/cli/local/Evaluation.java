package io.pbtnas.cli.local;

import io.pbtnas.cli.steps.BestExport;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.core.contract.TrainerOutput;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.SafetensorsException;
import io.pbtnas.core.layout.CheckpointLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Evaluates a trained network without training it: runs the trainer's
 * evaluate mode (PBTNAS_MODE=evaluate) on an exported best/ folder or a member
 * checkpoint, with the task settings the network was scored with.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * What to evaluate: the checkpoint and the context found around it. {@code epoch} is the
     * checkpoint's pbtnas.epoch; {@code member}/{@code generation} are set for a members/M/gen-G checkpoint.
     */
    public record Target(Path model, String task, Map<String, Object> taskArgs, String searchSpaceJson,
                         String genomeJson, int epoch, Integer member, Integer generation) {
    }

    public record Result(double validationAccuracy, double testAccuracy, JsonNode metrics) {
    }

    /** The trainer said the input is bad (contract exit code 2). */
    public static final class BadInputException extends IllegalArgumentException {
        BadInputException(String message) {
            super(message);
        }
    }

    private static final Pattern MEMBER_DIR = Pattern.compile("members/(\\d+)/gen-(\\d+)(/attempt-(\\d+))?$");

    /**
     * Finds the checkpoint and its context: {@code path} may be a best/ folder, a
     * members/M/gen-G folder (the attempt that counted there, from the search's status), one of its
     * attempt-A folders (only the one that counted), or a .safetensors file (evaluated as it is). Task settings come from
     * best/task.json or, for a member, from the work directory's search.json; genome and
     * search space from best/'s files, else from the checkpoint's own metadata.
     * Throws IllegalArgumentException for anything that is not a readable checkpoint.
     */
    public static Target locate(Path path) throws IOException {
        Path model = Files.isDirectory(path) ? CountedAttempt.model(path) : path;
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(path + ": no " + CheckpointLayout.MODEL + " here; give an exported "
                    + "best/ folder, a members/<m>/gen-<g>/ folder, or a .safetensors file");
        }
        Map<String, String> meta;
        try {
            meta = Safetensors.readMetadata(model);
        } catch (SafetensorsException e) {
            throw new IllegalArgumentException(model + ": not a readable checkpoint: " + e.getMessage());
        }
        int epoch;
        try {
            epoch = Integer.parseInt(meta.getOrDefault(CheckpointMetadata.EPOCH, ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(model + ": its metadata has no integer " + CheckpointMetadata.EPOCH
                    + " (the epochs it was trained for); it was not written by a contract-honouring trainer");
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
                        .map(JsonNode::toString).orElse(meta.get(CheckpointMetadata.SEARCH_SPACE)));
        String genome = text(dir.resolve(CheckpointLayout.GENOME)).orElse(meta.get(CheckpointMetadata.GENOME));
        Matcher m = MEMBER_DIR.matcher(dir.toString().replace('\\', '/'));
        Integer member = m.find() ? Integer.valueOf(m.group(1)) : null;
        Integer generation = member == null ? null : Integer.valueOf(m.group(2));
        return new Target(model, task, args, space, genome, epoch, member, generation);
    }

    /** The contract's evaluate step for {@code t}, its outputs in {@code out}. */
    static TrainerContract.Step step(Target t, Path out) {
        return new TrainerContract.Step(TrainerContract.Mode.EVALUATE, t.member(), t.generation(), t.epoch(),
                t.epoch(), 0L, t.searchSpaceJson(), t.genomeJson(), t.model().toAbsolutePath().toString(),
                out.toString(), t.task(), t.taskArgs(), out.resolve("termination-log").toString(), null);
    }

    /** Runs the trainer in evaluate mode; {@code log} receives its output. */
    public static Result run(Target t, TrainerCommand trainer, int threads, Path log)
            throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("pbtnas-eval-");
        try {
            ProcessBuilder pb = new ProcessBuilder(trainer.argv());
            pb.environment().keySet().removeAll(TrainerContract.VARIABLES);
            boolean passThreads = trainer.builtIn() && !t.taskArgs().containsKey("threads");
            pb.environment().putAll(new TrainerEnvironment(null, threads, passThreads).forStep(step(t, out)));
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            int code = p.waitFor();
            p.getOutputStream().close();
            Path metrics = out.resolve(CheckpointLayout.METRICS);
            if (code != 0 || !Files.isRegularFile(metrics)) {
                java.util.List<String> lines = Files.exists(log) ? Files.readAllLines(log).stream()
                        .filter(l -> !l.contains("\"progress\"")).toList() : java.util.List.of();
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
                String why = "trainer exited with code " + code
                        + (code == 0 ? " but wrote no " + metrics.getFileName() : "")
                        + (tail.isBlank() ? "" : ":\n" + tail) + "\n(full log: " + log + ")";
                if (code == 2) {
                    throw new BadInputException("bad input: " + why);
                }
                throw new IllegalStateException("evaluation failed: " + why);
            }
            String text = Files.readString(metrics);
            double score;
            try {
                score = TrainerOutput.score(text, metrics.getFileName().toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("evaluation failed: " + e.getMessage());
            }
            JsonNode m = Json.MAPPER.readTree(text);
            return new Result(m.path("validationAccuracy").asDouble(score),
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
