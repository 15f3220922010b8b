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
 * next to the target, tensor bytes follow in declared order, and {@link #commit} fsyncs and
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
    private int current;
    private long writtenInCurrent;
    private boolean committed;
    private boolean closed;

    private SafetensorsWriter(Path target, Path temp, FileChannel channel, List<TensorInfo> layout,
                              Durability durability) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.layout = layout;
        this.durability = durability;
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
        SafetensorsWriter w = new SafetensorsWriter(abs, temp, ch, layout, durability);
        try {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            w.writeAll(len);
            w.writeAll(ByteBuffer.wrap(header));
            w.skipEmptyPrefix();
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

    /** Writes one whole tensor; it must be the next one in declared order and match its dtype and shape. */
    public void write(String name, Tensor t) throws IOException {
        TensorInfo info = expect(name);
        if (writtenInCurrent != 0 && info.byteLength() != 0) {
            throw SafetensorsException.of(target, name, "already partly written; continue it with writeChunk");
        }
        if (t.dtype() != info.dtype() || !Arrays.equals(t.shape(), info.shape())) {
            throw SafetensorsException.of(target, name, "declared " + info.dtype().code() + Arrays.toString(info.shape())
                    + " but given " + t.dtype().code() + Arrays.toString(t.shape()));
        }
        writeChunk(name, t.data());
    }

    /** Appends the buffer's remaining bytes to the named tensor, which must be the one being written. */
    public void writeChunk(String name, ByteBuffer bytes) throws IOException {
        TensorInfo info = expect(name);
        if (writtenInCurrent + bytes.remaining() > info.byteLength()) {
            throw SafetensorsException.of(target, name, "declared " + info.byteLength() + " bytes but "
                    + (writtenInCurrent + bytes.remaining()) + " were given");
        }
        if (info.byteLength() == 0) {
            return;
        }
        int n = bytes.remaining();
        writeAll(bytes);
        advance(n);
    }

    /** Streams a whole tensor from a reader (kernel copy where possible); dtype and shape must match. */
    public void copyFrom(SafetensorsReader source, String sourceName, String name) throws IOException {
        TensorInfo info = expect(name);
        TensorInfo from = source.info(sourceName);
        if (writtenInCurrent != 0 && info.byteLength() != 0) {
            throw SafetensorsException.of(target, name, "already partly written; cannot copy it whole");
        }
        if (from.dtype() != info.dtype() || !Arrays.equals(from.shape(), info.shape())) {
            throw SafetensorsException.of(target, name, "declared " + info.dtype().code() + Arrays.toString(info.shape())
                    + " but the source " + source.name() + " has " + from.dtype().code() + Arrays.toString(from.shape()));
        }
        if (info.byteLength() == 0) {
            return;
        }
        source.copyTo(sourceName, channel);
        advance(info.byteLength());
    }

    /** Bytes still expected for the named tensor (it must be the one being written). */
    public long remaining(String name) throws SafetensorsException {
        TensorInfo info = expect(name);
        return info.byteLength() == 0 ? 0 : info.byteLength() - writtenInCurrent;
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
        if (current < layout.size()) {
            TensorInfo t = layout.get(current);
            throw SafetensorsException.of(target, t.name(), "not completely written (" + writtenInCurrent + " of "
                    + t.byteLength() + " bytes); nothing was committed");
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

    private TensorInfo expect(String name) throws SafetensorsException {
        if (closed) {
            throw new IllegalStateException(target + ": writer is closed");
        }
        Integer index = indexByName.get(name);
        if (index != null && index < current && layout.get(index).byteLength() == 0) {
            return layout.get(index); // an empty tensor the cursor already passed: writing it is a no-op
        }
        if (current >= layout.size()) {
            throw SafetensorsException.of(target, name, "every declared tensor is already written");
        }
        TensorInfo info = layout.get(current);
        if (!info.name().equals(name)) {
            throw SafetensorsException.of(target, name, "out of order: tensor '" + info.name()
                    + "' is next in the declared layout");
        }
        return info;
    }

    private void advance(long n) {
        writtenInCurrent += n;
        if (writtenInCurrent == layout.get(current).byteLength()) {
            current++;
            writtenInCurrent = 0;
            skipEmptyPrefix();
        }
    }

    /** Zero-byte tensors need no data, so the cursor moves past them by itself. */
    private void skipEmptyPrefix() {
        while (current < layout.size() && writtenInCurrent == 0 && layout.get(current).byteLength() == 0) {
            current++;
        }
    }

    private void writeAll(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }
}
