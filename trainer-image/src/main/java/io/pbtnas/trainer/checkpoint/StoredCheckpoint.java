package io.pbtnas.trainer.checkpoint;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Genome;
import io.pbtnas.trainer.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A checkpoint file as read: metadata and tensors, with typed access that names the file on error. */
public record StoredCheckpoint(Path file, Map<String, String> metadata, LinkedHashMap<String, Tensor> tensors) {
    /** The network width (stem output channels), so evaluation needs no task args. */
    public static final String WIDTH = "pbtnas.width";
    public static final String SEED = "pbtnas.seed";

    public static StoredCheckpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("checkpoint " + file + " does not exist (PBTNAS_INPUT / --input); give the "
                    + "path of a model.safetensors written by a trainer or by 'pbtnas mix', or leave it unset to "
                    + "start from fresh weights");
        }
        try {
            return new StoredCheckpoint(file, Safetensors.readMetadata(file), Safetensors.readAll(file));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("checkpoint " + file + " is not a readable safetensors file (" + e.getMessage()
                    + "); it may be truncated or corrupt: use the checkpoint of an earlier generation or retrain", e);
        }
    }

    public Genome genome() {
        String json = required(CheckpointMetadata.GENOME);
        try {
            return Genome.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("checkpoint " + file + ": metadata " + CheckpointMetadata.GENOME + " is not a "
                    + "genome JSON object (" + e.getMessage() + ")");
        }
    }

    /** Epochs trained so far. */
    public int epoch() {
        String v = required(CheckpointMetadata.EPOCH);
        try {
            int e = Integer.parseInt(v.trim());
            if (e < 0) {
                throw new NumberFormatException("negative");
            }
            return e;
        } catch (NumberFormatException e) {
            throw new BadInputException("checkpoint " + file + ": metadata " + CheckpointMetadata.EPOCH + " is '" + v
                    + "', not a non-negative integer");
        }
    }

    /** The recorded width, else the stem's output channels. */
    public Optional<Integer> width() {
        String v = metadata.get(WIDTH);
        if (v != null) {
            try {
                return Optional.of(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new BadInputException("checkpoint " + file + ": metadata " + WIDTH + " is '" + v
                        + "', not an integer");
            }
        }
        Tensor stem = tensors.get("stem.conv.weight");
        return stem == null ? Optional.empty() : Optional.of((int) stem.shape()[0]);
    }

    private String required(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new BadInputException("checkpoint " + file + " has no '" + key + "' in its __metadata__; it was not "
                    + "written by a pbtnas trainer (see trainer-image/README.md for the checkpoint contract)");
        }
        return v;
    }
}
