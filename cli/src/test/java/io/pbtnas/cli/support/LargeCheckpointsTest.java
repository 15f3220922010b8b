package io.pbtnas.cli.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.space.SearchSpace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark shapes: half the genes own half the bytes; a written checkpoint is what it says. */
class LargeCheckpointsTest {
    @Test
    void theBenchmarkSizesSwapHalfTheTensorsWithHalfTheGenes() {
        assertEquals(List.of(6, 6), List.of(LargeCheckpoints.of(100).tensors(), LargeCheckpoints.of(100).genes()));
        assertEquals(List.of(64, 8), List.of(LargeCheckpoints.of(1024).tensors(), LargeCheckpoints.of(1024).genes()));
        assertEquals(List.of("cell0", "cell1", "cell2", "cell3"), LargeCheckpoints.of(1024).halfTheGenes());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> LargeCheckpoints.of(16));
        assertTrue(small.getMessage().contains("at least 32 MiB"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LargeCheckpoints(64, 5));
    }

    @Test
    void aWrittenCheckpointHasItsTensorsGenomeAndInitTable(@TempDir Path dir) throws Exception {
        LargeCheckpoints shape = new LargeCheckpoints(48, 2);
        Path file = dir.resolve("m.safetensors");
        shape.write(file, "b", 7);
        SearchSpace space = SearchSpace.fromJson(shape.spaceJson());
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(3, r.tensors().size());
            assertEquals(48L << 20, r.tensors().stream().mapToLong(t -> t.byteLength()).sum());
            assertEquals("cell0", space.ownerOf("cell0.layer2.weight").orElseThrow().name(), "tensor i is gene i % genes");
            assertEquals("{\"cell0\":\"b\",\"cell1\":\"b\"}", r.metadata().get(CheckpointMetadata.GENOME));
            assertTrue(r.metadata().get(CheckpointMetadata.INIT).contains("cell1.layer1.weight"));
        }
    }
}
