package io.pbtnas.core.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.safetensors.TensorSpec;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A published checkpoint is never replaced: a second writer of the same name fails and changes nothing. */
class NoReplaceTest {
    static LinkedHashMap<String, Tensor> tensors(float v) {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.ofFloats(new long[] {2}, new float[] {v, v}));
        return t;
    }

    static List<Path> temporaries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(AtomicFiles::isTemporary).toList();
        }
    }

    @Test
    void aSlowWriterCannotReplaceTheCheckpointAFasterOnePublished(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("members/1/gen-0/attempt-1/model.safetensors");
        // The slow writer (an old trainer in its grace period) opens first ...
        SafetensorsWriter slow = SafetensorsWriter.create(target, Map.of("who", "slow"),
                List.of(new TensorSpec("w", DType.F32, new long[] {2})));
        slow.write("w", Tensor.ofFloats(new long[] {2}, new float[] {9, 9}));
        // ... the other one publishes first.
        Safetensors.write(target, Map.of("who", "fast"), tensors(1));
        byte[] published = Files.readAllBytes(target);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, slow::commit);
        assertTrue(e.getMessage().contains("never replaced"), e.getMessage());
        slow.close();
        assertArrayEquals(published, Files.readAllBytes(target));
        assertEquals("fast", Safetensors.readMetadata(target).get("who"));
        assertEquals(List.of(), temporaries(target.getParent()), "the loser's temporary file is gone");
    }

    @Test
    void aStepOutputIsCreatedOnceWhileDocumentsAreRewritten(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("metrics.json");
        AtomicFiles.createString(metrics, "{\"score\":0.5}");
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.createString(metrics, "{\"score\":0.9}"));
        assertEquals("{\"score\":0.5}", Files.readString(metrics));
        Path status = dir.resolve("status.json");
        AtomicFiles.writeString(status, "1");
        AtomicFiles.writeString(status, "2");
        assertEquals("2", Files.readString(status));
        assertEquals(List.of(), temporaries(dir));
    }

    @Test
    void temporaryFilesAreRecognisedByName() {
        assertTrue(AtomicFiles.isTemporary(Path.of("a/.model.safetensors.tmp-1f2e")));
        assertTrue(AtomicFiles.isTemporary(Path.of(".report.html.tmp-0")));
        assertTrue(!AtomicFiles.isTemporary(Path.of("a/model.safetensors")));
        assertTrue(!AtomicFiles.isTemporary(Path.of("a/.lock")));
    }
}
