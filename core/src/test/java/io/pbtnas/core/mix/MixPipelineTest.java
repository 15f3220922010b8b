package io.pbtnas.core.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class MixPipelineTest {
    static final int CHUNK = FreshValues.BLOCK;

    @TempDir
    Path dir;

    private Path donor(int elements) throws IOException {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.ofFloats(new long[] {elements}, ShrinkPerturbTest.ramp(elements, 0, 1)));
        Path p = dir.resolve("donor.safetensors");
        Safetensors.write(p, Map.of(), t);
        return p;
    }

    @Test
    @Timeout(30)
    void deliversChunksInOrderAndStopsWhenClosedEarly() throws Exception {
        int n = 10 * CHUNK + 5; // more chunks than buffers, so the producer must wait for the writer
        try (SafetensorsReader r = SafetensorsReader.open(donor(n))) {
            TensorInfo w = r.info("w");
            TensorMix mix = new TensorMix(w, new InitDistribution.Constant(1), 7);
            try (MixPipeline p = MixPipeline.start(r, List.of(mix), 0.5, 0, CHUNK, 2)) {
                for (int c = 0; c < 3; c++) {
                    MixPipeline.Ready ready = p.take();
                    assertEquals(w, ready.tensor(), "chunk " + c + " belongs to w");
                    ByteBuffer b = ready.bytes();
                    assertEquals(4 * CHUNK, b.remaining());
                    assertEquals(0.5f * (c * CHUNK + 3), b.getFloat(b.position() + 12), 0f, "chunk " + c);
                    p.release();
                }
            } // closed with 7 chunks never taken: must not hang
        }
    }

    @Test
    @Timeout(30)
    void aReadFailureReachesTheWriterWithItsMessage() throws Exception {
        try (SafetensorsReader r = SafetensorsReader.open(donor(16))) {
            // A tensor entry pointing past the end of the file (as if it were truncated while mixing).
            TensorInfo ghost = new TensorInfo("ghost", DType.F32, new long[] {CHUNK}, 0, 4L * CHUNK);
            try (MixPipeline p = MixPipeline.start(r, List.of(new TensorMix(ghost, null, 1)), 0.4, 0, CHUNK, 2)) {
                IOException e = assertThrows(IOException.class, p::take);
                assertTrue(e.getMessage().contains("unexpected end of file"), e.getMessage());
                assertTrue(e.getMessage().contains("ghost"), e.getMessage());
            }
        }
    }
}
