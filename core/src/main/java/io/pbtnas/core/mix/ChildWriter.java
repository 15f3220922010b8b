package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the child's tensors on one thread, in two streams. The donor's part goes in file order:
 * computed chunks as the pipeline hands them out, and the donor's copied and zeroed tensors between
 * them, so the donor is read in the order announced to it (a bucket source streams it). The parent's
 * copied tensors go a slice at a time whenever the next computed chunk is not ready yet, so that
 * the mixing threads are not left idle, their buffers full, while the writer copies.
 */
final class ChildWriter {
    private static final int ZEROS_BYTES = 1 << 20;

    private ChildWriter() {
    }

    /**
     * Writes every tensor of {@code sources} (the child's layout); {@code mixed} computes the
     * shrink-perturbed ones unless {@code copyExactly}, when they are copied from the donor.
     */
    static void write(SafetensorsWriter w, List<TensorSource> sources, boolean copyExactly, SafetensorsReader parent,
                      SafetensorsReader donor, MixPipeline mixed, WriteBehind behind) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZEROS_BYTES);
        List<CopySteps.Copy> fromParent = new ArrayList<>();
        List<TensorSource> inOrder = new ArrayList<>();
        for (TensorSource s : sources) {
            if (s.kind() == TensorSource.Kind.PARENT) {
                fromParent.add(new CopySteps.Copy(s.from(), parent));
            } else {
                inOrder.add(s);
            }
        }
        CopySteps background = new CopySteps(w, fromParent, zeros);
        for (TensorSource s : inOrder) {
            if (s.kind() == TensorSource.Kind.SHRINK_PERTURB && !copyExactly) {
                writeComputed(w, s, mixed, background, behind);
            } else {
                CopySteps one = new CopySteps(w, List.of(new CopySteps.Copy(s.from(),
                        s.kind() == TensorSource.Kind.ZERO ? null : donor)), zeros);
                for (long n; (n = one.step()) >= 0; ) {
                    behind.wrote(n);
                }
            }
        }
        for (long n; (n = background.step()) >= 0; ) {
            behind.wrote(n);
        }
    }

    /** One computed tensor's chunks, copying a slice of the parent's while the next is not ready. */
    private static void writeComputed(SafetensorsWriter w, TensorSource s, MixPipeline mixed, CopySteps background,
                                      WriteBehind behind) throws IOException {
        String name = s.from().name();
        while (w.remaining(name) > 0) {
            MixPipeline.Ready chunk = mixed.poll();
            if (chunk == null) {
                long copied = background.step();
                if (copied >= 0) {
                    behind.wrote(copied);
                    continue;
                }
                chunk = mixed.take();
            }
            if (chunk == null || !chunk.tensor().equals(s.from())) {
                throw new IllegalStateException("mix pipeline out of order: expected " + name + ", got "
                        + (chunk == null ? "no more chunks" : chunk.tensor().name()));
            }
            int n = chunk.bytes().remaining();
            w.writeChunk(name, chunk.bytes());
            mixed.release();
            behind.wrote(n);
        }
    }
}
