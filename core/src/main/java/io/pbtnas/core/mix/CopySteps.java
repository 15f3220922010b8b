package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.DataAlignment;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Tensors copied from a reader (or zeroed), written a slice at a time in the given order, so that
 * the writer can interleave them with computed chunks ({@link ChildWriter}). Not thread-safe: the
 * writer's.
 */
final class CopySteps {
    /**
     * Bytes per step: a kernel copy this size takes about as long as the mixing threads need to
     * fill the pipeline's free buffers, so they rarely wait for the writer.
     */
    static final long SLICE = 1 << 20;

    /** Where one tensor comes from: a reader to copy it from, or none for zeros. */
    record Copy(TensorInfo tensor, SafetensorsReader from) {
    }

    private final SafetensorsWriter writer;
    private final List<Copy> copies;
    private final ByteBuffer zeros;
    private int next;

    CopySteps(SafetensorsWriter writer, List<Copy> copies, ByteBuffer zeros) {
        this.writer = writer;
        this.copies = copies;
        this.zeros = zeros;
    }

    /** Writes the next slice; returns its bytes, or -1 once every tensor is complete. */
    long step() throws IOException {
        while (next < copies.size()) {
            Copy c = copies.get(next);
            String name = c.tensor().name();
            long left = writer.remaining(name);
            if (left == 0) {
                next++;
                continue;
            }
            if (c.from() == null) {
                int n = (int) Math.min(left, zeros.capacity());
                writer.writeChunk(name, zeros.clear().limit(n));
                return n;
            }
            // Slices end on the source's 64 KiB boundaries, so each after the first copies from one.
            long at = c.from().dataStart() + c.tensor().begin() + (c.tensor().byteLength() - left);
            long end = Math.floorDiv(at + SLICE, DataAlignment.MODULUS) * DataAlignment.MODULUS;
            return writer.copyNext(c.from(), name, name, Math.min(left, end - at));
        }
        return -1;
    }
}
