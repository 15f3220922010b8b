package io.pbtnas.core.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void flushesWhileWritingAndTheFileCommitsIntact() throws Exception {
        Path out = dir.resolve("a.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, Map.of(),
                List.of(new TensorSpec("x", DType.F32, new long[] {4})))) {
            try (WriteBehind behind = new WriteBehind(w)) {
                ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).flip();
                w.writeChunk("x", b);
                behind.wrote(WriteBehind.STEP); // as if a whole step had been written: a flush runs
                behind.wrote(WriteBehind.STEP);
            }
            w.commit();
        }
        assertArrayEquals(new float[] {1, 2, 3, 4}, Safetensors.readAll(out).get("x").toFloats());
    }

    @Test
    @Timeout(30)
    void aFailedFlushIsReportedAtClose() throws Exception {
        SafetensorsWriter w = SafetensorsWriter.create(dir.resolve("b.safetensors"), Map.of(),
                List.of(new TensorSpec("x", DType.F32, new long[] {4})));
        w.close(); // the file is gone: flushing it must fail
        WriteBehind behind = new WriteBehind(w);
        behind.wrote(WriteBehind.STEP);
        // The flush runs in the background; its failure surfaces at the next note of progress.
        IOException failure = null;
        while (failure == null) {
            try {
                behind.wrote(0);
                Thread.sleep(1);
            } catch (IOException e) {
                failure = e;
            }
        }
        assertThrows(IOException.class, behind::close, "close reports it too");
    }
}
