package io.pbtnas.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The member's hyperparameters for this step ({@code PBTNAS_HPARAMS}, a JSON object; unset when the
 * search explores none). This trainer knows {@code learningRate}, {@code weightDecay} (decoupled, as
 * AdamW) and {@code batchSize}; any other name is bad input, so a search never explores a value the
 * trainer ignores. A name here must not also be a task argument: the search owns it.
 *
 * @param given the object as received, for the checkpoint's {@code pbtnas.hparams}; empty when unset
 */
public record Hyperparameters(Optional<Double> learningRate, double weightDecay, Optional<Integer> batchSize,
        Map<String, Object> given) {
    public static final Hyperparameters NONE = new Hyperparameters(Optional.empty(), 0, Optional.empty(), Map.of());
    private static final Set<String> KNOWN = new TreeSet<>(List.of("learningRate", "weightDecay", "batchSize"));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses the object; null or blank means none. {@code source} names the variable and flag. */
    public static Hyperparameters parse(String json, String source) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": invalid JSON (" + e.getOriginalMessage() + "); expected an object "
                    + "such as {\"learningRate\":0.001,\"weightDecay\":0.0001,\"batchSize\":64}");
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(source + ": expected a JSON object such as {\"learningRate\":0.001}, got "
                    + json);
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) {
                problems.add(source + "." + k + ": unknown hyperparameter of this trainer; it honours " + KNOWN
                        + " (remove '" + k + "' from spec.searchSpace.hyperparameters or use a trainer that reads it)");
            }
        }
        Optional<Double> lr = number(root, "learningRate", source, false, problems);
        double wd = number(root, "weightDecay", source, true, problems).orElse(0.0);
        Optional<Integer> batch = Optional.empty();
        JsonNode b = root.get("batchSize");
        if (b != null) {
            // A choice of integers arrives as 64; 64.0 is accepted, 64.5 is not.
            if (!b.isNumber() || b.asDouble() != Math.rint(b.asDouble()) || b.asDouble() < 1 || b.asDouble() > 65536) {
                problems.add(source + ".batchSize: " + b + " is not an integer in 1..65536");
            } else {
                batch = Optional.of((int) b.asDouble());
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("bad hyperparameters:\n  " + String.join("\n  ", problems));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> given = MAPPER.convertValue(root, LinkedHashMap.class);
        return new Hyperparameters(lr, wd, batch, given);
    }

    /**
     * The task arguments with this step's values in place. {@code taskArgsJson} is the raw task-args
     * object, to tell a value given there from a default.
     */
    public TaskArgs over(TaskArgs args, String taskArgsJson, String source) {
        if (given.isEmpty()) {
            return args;
        }
        JsonNode raw;
        try {
            raw = taskArgsJson == null || taskArgsJson.isBlank() ? MAPPER.createObjectNode()
                    : MAPPER.readTree(taskArgsJson);
        } catch (JsonProcessingException e) {
            raw = MAPPER.createObjectNode(); // TaskArgs.parse has already rejected it
        }
        for (String k : given.keySet()) {
            if (raw.has(k)) {
                throw new BadInputException(source + "." + k + " and PBTNAS_TASK_ARGS." + k + " are both set; the "
                        + "search explores it, so remove it from trainer.args");
            }
        }
        return new TaskArgs(batchSize.orElse(args.batchSize()), learningRate.orElse(args.learningRate()),
                args.width(), args.dataDir(), args.trainSubset(), args.validationSubset(), args.testSubset(),
                args.threads(), args.evalBatchSize(), args.progressEvery());
    }

    private static Optional<Double> number(JsonNode root, String key, String source, boolean zeroOk,
                                           List<String> problems) {
        JsonNode n = root.get(key);
        if (n == null) {
            return Optional.empty();
        }
        double v = n.asDouble();
        if (!n.isNumber() || !Double.isFinite(v) || v < 0 || (!zeroOk && v == 0)) {
            problems.add(source + "." + key + ": " + n + " is not a " + (zeroOk ? "non-negative" : "positive")
                    + " number");
            return Optional.empty();
        }
        return Optional.of(v);
    }
}
