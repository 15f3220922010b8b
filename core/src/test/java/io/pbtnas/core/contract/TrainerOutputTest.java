package io.pbtnas.core.contract;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Genome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerOutputTest {
    static final Genome GENOME = new Genome(Map.of("cell0", "skip", "cell1", "conv3x3"));

    static void step(Path dir, String genomeJson, String epoch, String metrics) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, genomeJson);
        meta.put(CheckpointMetadata.EPOCH, epoch);
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("cell0.w", Tensor.ofFloats(new long[] {64}, new float[64]));
        Safetensors.write(dir.resolve("model.safetensors"), meta, t);
        Files.writeString(dir.resolve("metrics.json"), metrics);
    }

    static String failure(Path dir, int epochTo) {
        return assertThrows(IllegalArgumentException.class, () -> TrainerOutput.verify(dir, GENOME, epochTo))
                .getMessage();
    }

    @Test
    void validOutputsGiveTheScore(@TempDir Path tmp) throws Exception {
        step(tmp, "{\"cell1\":\"conv3x3\",\"cell0\":\"skip\"}", "4", "{\"score\":0.75,\"epoch\":4}");
        assertEquals(0.75, TrainerOutput.verify(tmp, GENOME, 4).score());
    }

    @Test
    void eachFailedCheckIsNamed(@TempDir Path tmp) throws Exception {
        Path truncated = tmp.resolve("truncated");
        step(truncated, GENOME.toJson(), "4", "{\"score\":0.75}");
        byte[] whole = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(truncated.resolve("model.safetensors"), Arrays.copyOf(whole, whole.length - 10));
        assertTrue(failure(truncated, 4).startsWith("output check 'checkpoint parses'"), failure(truncated, 4));

        Path genome = tmp.resolve("genome");
        step(genome, "{\"cell0\":\"conv3x3\",\"cell1\":\"conv3x3\"}", "4", "{\"score\":0.75}");
        assertTrue(failure(genome, 4).startsWith("output check 'genome'"), failure(genome, 4));

        Path epoch = tmp.resolve("epoch");
        step(epoch, GENOME.toJson(), "3", "{\"score\":0.75}");
        assertTrue(failure(epoch, 4).startsWith("output check 'epoch'") && failure(epoch, 4).contains("expected 4"),
                failure(epoch, 4));

        Path nan = tmp.resolve("nan");
        step(nan, GENOME.toJson(), "4", "{\"score\":\"NaN\"}");
        assertTrue(failure(nan, 4).startsWith("output check 'metrics'"), failure(nan, 4));

        Path missing = tmp.resolve("missing");
        Files.createDirectories(missing);
        assertTrue(failure(missing, 4).contains("metrics.json is missing"), failure(missing, 4));
    }
}
