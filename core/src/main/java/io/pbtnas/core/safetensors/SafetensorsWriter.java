package io.pbtnas.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams a safetensors file: the header (from the declared layout) goes to a temporary file
 * next to the target, then tensor bytes at their declared offsets. Each tensor's bytes are
 * appended in order; tensors may be written in any order, or interleaved (so that a tensor being
 * computed and one being copied can progress together). {@link #commit} checks every tensor is
 * complete, fsyncs and
 * publishes it under the target's name, never replacing an existing file ({@link NoReplace}).
 * Closing without commit deletes the temporary file, so a failure at any
 * point leaves no partial target behind.
 */
public final class SafetensorsWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final List<TensorInfo> layout;
    private final Durability durability;
    private final Map<String, Integer> indexByName = new HashMap<>();
    /** Where tensor data starts in the file. */
    private final long dataStart;
    /** Bytes written so far of each tensor, by index in the layout. */
    private final long[] written;
    private boolean committed;
    private boolean closed;

    private SafetensorsWriter(Path target, Path temp, FileChannel channel, List<TensorInfo> layout,
                              Durability durability, long dataStart) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.layout = layout;
        this.durability = durability;
        this.dataStart = dataStart;
        this.written = new long[layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            indexByName.put(layout.get(i).name(), i);
        }
    }

    public static SafetensorsWriter create(Path target, Map<String, String> metadata, List<TensorSpec> specs)
            throws IOException {
        return create(target, metadata, specs, Durability.FSYNC);
    }

    /** As {@link #create(Path, Map, List)}; {@link Durability#PAGE_CACHE} only for output that is thrown away. */
    public static SafetensorsWriter create(Path target, Map<String, String> metadata, List<TensorSpec> specs,
                                           Durability durability) throws IOException {
        return create(target, metadata, specs, durability, null);
    }

    /**
     * As {@link #create(Path, Map, List, Durability)}, the data starting at {@code alignment}'s residue
     * (null: straight after the header), so that tensors copied from another file can sit at their
     * source's offset modulo {@link DataAlignment#MODULUS}.
     */
    public static SafetensorsWriter create(Path target, Map<String, String> metadata, List<TensorSpec> specs,
                                           Durability durability, DataAlignment alignment) throws IOException {
        List<TensorInfo> layout = assignOffsets(target, specs);
        byte[] header = Header.encode(metadata, layout);
        if (alignment != null) {
            int padded = Math.toIntExact(header.length + alignment.padding(header.length));
            int end = header.length;
            header = Arrays.copyOf(header, padded);
            Arrays.fill(header, end, padded, (byte) ' ');
        }
        if (header.length > Header.MAX_HEADER_BYTES) {
            throw SafetensorsException.of(target, "header of " + header.length + " bytes exceeds the "
                    + Header.MAX_HEADER_BYTES + "-byte limit; use fewer tensors or less metadata");
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path temp = NoReplace.tempFor(abs);
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        SafetensorsWriter w = new SafetensorsWriter(abs, temp, ch, layout, durability, 8L + header.length);
        try {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            w.writeAll(len, 0);
            w.writeAll(ByteBuffer.wrap(header), 8);
            return w;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private static List<TensorInfo> assignOffsets(Path target, List<TensorSpec> specs) throws SafetensorsException {
        Set<String> seen = new HashSet<>();
        List<TensorInfo> out = new ArrayList<>(specs.size());
        long offset = 0;
        for (TensorSpec s : specs) {
            if (s.name().isEmpty() || s.name().equals(Header.METADATA_KEY)) {
                throw SafetensorsException.of(target, "invalid tensor name '" + s.name() + "'");
            }
            if (!seen.add(s.name())) {
                throw SafetensorsException.of(target, s.name(), "declared twice in the layout");
            }
            long end = offset + s.byteLength();
            out.add(new TensorInfo(s.name(), s.dtype(), s.shape(), offset, end));
            offset = end;
        }
        return List.copyOf(out);
    }

    public Durability durability() {
        return durability;
    }

    /** Offsets the writer assigned, in declared order. */
    public List<TensorInfo> layout() {
        return layout;
    }

    /** Writes one whole tensor, not yet begun; it must match its declared dtype and shape. */
    public void write(String name, Tensor t) throws IOException {
        int index = expect(name);
        TensorInfo info = layout.get(index);
        if (written[index] != 0) {
            throw SafetensorsException.of(target, name, "already partly written; continue it with writeChunk");
        }
        if (t.dtype() != info.dtype() || !Arrays.equals(t.shape(), info.shape())) {
            throw SafetensorsException.of(target, name, "declared " + info.dtype().code() + Arrays.toString(info.shape())
                    + " but given " + t.dtype().code() + Arrays.toString(t.shape()));
        }
        writeChunk(name, t.data());
    }

    /** Appends the buffer's remaining bytes to the named tensor. */
    public void writeChunk(String name, ByteBuffer bytes) throws IOException {
        int index = expect(name);
        TensorInfo info = layout.get(index);
        if (written[index] + bytes.remaining() > info.byteLength()) {
            throw SafetensorsException.of(target, name, "declared " + info.byteLength() + " bytes but "
                    + (written[index] + bytes.remaining()) + " were given");
        }
        int n = bytes.remaining();
        writeAll(bytes, dataStart + info.begin() + written[index]);
        written[index] += n;
    }

    /** Streams a whole tensor, not yet begun, from a reader (kernel copy where possible). */
    public void copyFrom(SafetensorsReader source, String sourceName, String name) throws IOException {
        if (written[expect(name)] != 0) {
            throw SafetensorsException.of(target, name, "already partly written; cannot copy it whole");
        }
        copyNext(source, sourceName, name, Long.MAX_VALUE);
    }

    /**
     * Copies up to {@code maxBytes} more of a tensor from the same tensor of a reader (a kernel copy
     * where possible), continuing where the last part ended; dtype and shape must match. Returns the
     * bytes copied, 0 once the tensor is complete.
     */
    public long copyNext(SafetensorsReader source, String sourceName, String name, long maxBytes) throws IOException {
        int index = expect(name);
        TensorInfo info = layout.get(index);
        TensorInfo from = source.info(sourceName);
        if (from.dtype() != info.dtype() || !Arrays.equals(from.shape(), info.shape())) {
            throw SafetensorsException.of(target, name, "declared " + info.dtype().code() + Arrays.toString(info.shape())
                    + " but the source " + source.name() + " has " + from.dtype().code() + Arrays.toString(from.shape()));
        }
        long n = Math.min(maxBytes, info.byteLength() - written[index]);
        if (n <= 0) {
            return 0;
        }
        channel.position(dataStart + info.begin() + written[index]); // the one place the channel's position counts
        source.copyTo(sourceName, written[index], n, channel);
        written[index] += n;
        return n;
    }

    /** Bytes still expected for the named tensor. */
    public long remaining(String name) throws SafetensorsException {
        int index = expect(name);
        return layout.get(index).byteLength() - written[index];
    }

    /**
     * Forces the bytes written so far to disk (fdatasync) without committing anything. Safe to call
     * from another thread while writing goes on; lets write-back overlap the writing, so that
     * {@link #commit} has less left to flush. Must return before commit or close is called. Does
     * nothing for a {@link Durability#PAGE_CACHE} writer.
     */
    public void flushWritten() throws IOException {
        if (durability == Durability.FSYNC) {
            channel.force(false);
        }
    }

    /**
     * Checks every declared byte was written, fsyncs, publishes the target and fsyncs the directory
     * (no fsync at all for {@link Durability#PAGE_CACHE}); FileAlreadyExistsException (nothing
     * changed) when the target exists.
     */
    public void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException(target + ": writer already " + (committed ? "committed" : "closed"));
        }
        for (int i = 0; i < layout.size(); i++) {
            TensorInfo t = layout.get(i);
            if (written[i] != t.byteLength()) {
                throw SafetensorsException.of(target, t.name(), "not completely written (" + written[i] + " of "
                        + t.byteLength() + " bytes); nothing was committed");
            }
        }
        boolean durable = durability == Durability.FSYNC;
        if (durable) {
            channel.force(true);
        }
        channel.close();
        try {
            NoReplace.publish(temp, target);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            closed = true;
            throw e;
        }
        committed = true;
        closed = true;
        if (durable) {
            Fsync.directory(target.getParent());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private int expect(String name) throws SafetensorsException {
        if (closed) {
            throw new IllegalStateException(target + ": writer is closed");
        }
        Integer index = indexByName.get(name);
        if (index == null) {
            throw SafetensorsException.of(target, name, "not in the declared layout " + indexByName.keySet());
        }
        return index;
    }

    private void writeAll(ByteBuffer b, long position) throws IOException {
        for (long pos = position; b.hasRemaining(); ) {
            pos += channel.write(b, pos);
        }
    }
}
