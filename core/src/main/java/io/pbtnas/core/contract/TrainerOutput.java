package io.pbtnas.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.space.Genome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a trainer leaves (DESIGN.md, "Trainer"), read the same way by every driver: the metrics
 * JSON ({@code metrics.json} and the termination message) must be an object with a finite numeric
 * {@code score}; {@code model.safetensors} must parse (header, and tensor sizes against the file
 * size) and carry the genome and epoch the step asked for. A step's result counts only when
 * {@link #verify} passes.
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

    /** A step's outputs that passed every check. */
    public record Verified(double score, Path model, Path metrics) {
    }

    /**
     * Checks the outputs of a training step in {@code outputDir}: metrics.json has a finite score,
     * model.safetensors parses, its pbtnas.genome equals {@code genome} and its pbtnas.epoch equals
     * {@code epochTo}. Throws IllegalArgumentException naming the check that failed.
     */
    public static Verified verify(Path outputDir, Genome genome, int epochTo) {
        Path metrics = outputDir.resolve("metrics.json");
        Path model = outputDir.resolve("model.safetensors");
        if (!Files.isRegularFile(metrics)) {
            throw new IllegalArgumentException("output check 'metrics': " + metrics + " is missing");
        }
        double score;
        try {
            score = score(Files.readString(metrics), metrics.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("output check 'metrics': cannot read " + metrics + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("output check 'metrics': " + e.getMessage());
        }
        checkCheckpoint(model, genome, epochTo);
        return new Verified(score, model, metrics);
    }

    /**
     * Checks one checkpoint: it parses (header and sizes), carries pbtnas.genome equal to {@code genome}
     * and, unless {@code epoch} is null, pbtnas.epoch equal to it. Throws IllegalArgumentException
     * naming the failed check.
     */
    public static void checkCheckpoint(Path model, Genome genome, Integer epoch) {
        Map<String, String> meta;
        try (SafetensorsReader r = SafetensorsReader.open(model)) {
            meta = r.metadata();
        } catch (IOException e) {
            throw new IllegalArgumentException("output check 'checkpoint parses': " + e.getMessage());
        }
        String recorded = meta.get(CheckpointMetadata.GENOME);
        Genome got;
        try {
            got = recorded == null ? null : Genome.fromJson(recorded);
        } catch (IllegalArgumentException e) {
            got = null;
        }
        if (got == null || !got.choices().equals(genome.choices())) {
            throw new IllegalArgumentException("output check 'genome': " + model + " has " + CheckpointMetadata.GENOME
                    + " " + (recorded == null ? "missing" : abbreviate(recorded)) + ", expected " + genome.toJson());
        }
        String e = meta.get(CheckpointMetadata.EPOCH);
        if (epoch != null && !Integer.toString(epoch).equals(e == null ? null : e.trim())) {
            throw new IllegalArgumentException("output check 'epoch': " + model + " has " + CheckpointMetadata.EPOCH
                    + " " + (e == null ? "missing" : "'" + e + "'") + ", expected " + epoch + " ("
                    + TrainerContract.EPOCH_TO + ")");
        }
    }

    static String abbreviate(String s) {
        String one = s.strip().replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }
}
