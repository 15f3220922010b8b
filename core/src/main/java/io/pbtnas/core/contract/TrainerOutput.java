package io.pbtnas.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;

/**
 * What a trainer leaves (DESIGN.md, "Trainer"), read the same way by every driver: the metrics
 * JSON ({@code metrics.json} and the termination message) must be an object with a finite numeric
 * {@code score}.
 */
public final class TrainerOutput {
    private TrainerOutput() {
    }

    /**
     * The score in {@code metricsJson}; {@code what} names where it came from in the message
     * (e.g. "its termination message"). Throws IllegalArgumentException saying what is wrong.
     */
    public static double score(String metricsJson, String what) {
        if (metricsJson == null || metricsJson.isBlank()) {
            throw new IllegalArgumentException(what + " is empty; the trainer must write {\"score\": …} to $"
                    + TrainerContract.TERMINATION_LOG + " and $" + TrainerContract.OUTPUT_DIR + "/metrics.json");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(metricsJson);
        } catch (Exception e) {
            throw new IllegalArgumentException(what + " is not JSON: " + abbreviate(metricsJson));
        }
        JsonNode score = node == null ? null : node.get("score");
        if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
            throw new IllegalArgumentException(what + " has no finite numeric \"score\": " + abbreviate(metricsJson));
        }
        return score.asDouble();
    }

    static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
