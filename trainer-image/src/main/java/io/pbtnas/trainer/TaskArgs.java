package io.pbtnas.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code fashion-mnist} task's arguments ({@code PBTNAS_TASK_ARGS}, a JSON object). Unknown keys are
 * errors, so a typo does not silently train with a default.
 *
 * @param width            channels of the first stage (0 = the checkpoint's, else {@link #DEFAULT_WIDTH})
 * @param trainSubset      images of the training split to use (0 = all 50,000)
 * @param validationSubset images of the held-out validation split (0 = all 10,000)
 * @param testSubset       images of the test set (0 = all 10,000)
 * @param threads          intra-op threads (0 = not set here)
 * @param progressEvery    print a progress line every this many batches
 */
public record TaskArgs(int batchSize, double learningRate, int width, Optional<String> dataDir, int trainSubset,
        int validationSubset, int testSubset, int threads, int evalBatchSize, int progressEvery) {

    public static final int DEFAULT_WIDTH = 16;
    public static final TaskArgs DEFAULTS = new TaskArgs(128, 0.001, 0, Optional.empty(), 0, 0, 0, 0, 500, 50);
    private static final Set<String> KEYS = new TreeSet<>(List.of("batchSize", "learningRate", "width", "dataDir",
            "trainSubset", "validationSubset", "testSubset", "threads", "evalBatchSize", "progressEvery"));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses the JSON object; null or blank means all defaults. {@code source} names where it came from. */
    public static TaskArgs parse(String json, String source) {
        if (json == null || json.isBlank()) {
            return DEFAULTS;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": invalid JSON (" + e.getOriginalMessage() + "); expected an object "
                    + "such as {\"batchSize\":128,\"learningRate\":0.001}");
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(source + ": expected a JSON object such as {\"batchSize\":128}, got " + json);
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                problems.add(source + "." + k + ": unknown argument of task fashion-mnist; known: " + KEYS);
            }
        }
        Reader r = new Reader(root, source, problems);
        TaskArgs d = DEFAULTS;
        TaskArgs out = new TaskArgs(
                r.integer("batchSize", d.batchSize, 1, 65536),
                r.positive("learningRate", d.learningRate),
                r.integer("width", 0, 0, 1024),
                r.text("dataDir"),
                r.integer("trainSubset", 0, 0, Integer.MAX_VALUE),
                r.integer("validationSubset", 0, 0, Integer.MAX_VALUE),
                r.integer("testSubset", 0, 0, Integer.MAX_VALUE),
                r.integer("threads", 0, 0, 1024),
                r.integer("evalBatchSize", d.evalBatchSize, 1, 65536),
                r.integer("progressEvery", d.progressEvery, 1, Integer.MAX_VALUE));
        if (!problems.isEmpty()) {
            throw new BadInputException("bad task arguments:\n  " + String.join("\n  ", problems));
        }
        return out;
    }

    /** The arguments as a JSON-able map (for logs and checkpoint metadata). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("batchSize", batchSize);
        m.put("learningRate", learningRate);
        m.put("width", width);
        dataDir.ifPresent(v -> m.put("dataDir", v));
        m.put("trainSubset", trainSubset);
        m.put("validationSubset", validationSubset);
        m.put("testSubset", testSubset);
        m.put("threads", threads);
        m.put("evalBatchSize", evalBatchSize);
        m.put("progressEvery", progressEvery);
        return m;
    }

    /** Typed field access that collects every problem instead of stopping at the first. */
    private record Reader(JsonNode root, String source, List<String> problems) {
        int integer(String key, int fallback, int min, int max) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
                problems.add(source + "." + key + ": " + n + " is not an integer in " + min + ".." + max);
                return fallback;
            }
            return n.asInt();
        }

        double positive(String key, double fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber() || !(n.asDouble() > 0) || !Double.isFinite(n.asDouble())) {
                problems.add(source + "." + key + ": " + n + " is not a positive number");
                return fallback;
            }
            return n.asDouble();
        }

        Optional<String> text(String key) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            if (!n.isTextual() || n.asText().isBlank()) {
                problems.add(source + "." + key + ": " + n + " is not a non-empty string");
                return Optional.empty();
            }
            return Optional.of(n.asText());
        }
    }
}
