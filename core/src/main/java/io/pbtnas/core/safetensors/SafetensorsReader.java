package io.pbtnas.core.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a safetensors file without loading it: the header is parsed and validated strictly
 * at {@link #open}, tensor bytes are read on demand, whole or in chunks. The bytes come from a
 * {@link ByteSource}: a local file, or an object in a bucket.
 */
public final class SafetensorsReader implements AutoCloseable {
    private final ByteSource source;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;

    private SafetensorsReader(ByteSource source, long dataStart, Header header) {
        this.source = source;
        this.dataStart = dataStart;
        this.metadata = header.metadata;
        this.tensors = header.tensors;
        this.byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            byName.put(t.name(), t);
        }
    }

    public static SafetensorsReader open(Path file) throws IOException {
        return open(FileSource.open(file));
    }

    /** Reads the header from {@code source}; the reader owns the source from here on and closes it. */
    public static SafetensorsReader open(ByteSource source) throws IOException {
        String file = source.name();
        try {
            long size = source.size();
            if (size < 8) {
                throw SafetensorsException.of(file, "file has " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(source, len, 0, "header length");
            long headerLength = len.getLong(0);
            if (headerLength < 2 || headerLength > Header.MAX_HEADER_BYTES) {
                throw SafetensorsException.of(file, "header length " + Long.toUnsignedString(headerLength)
                        + " is outside [2, " + Header.MAX_HEADER_BYTES + "]: not a safetensors file or corrupt");
            }
            if (8 + headerLength > size) {
                throw SafetensorsException.of(file, "header length " + headerLength + " exceeds the file size "
                        + size + " (file truncated?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            readFully(source, hb, 8, "header");
            Header header = Header.parse(file, hb.array(), size - 8 - headerLength);
            return new SafetensorsReader(source, 8 + headerLength, header);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** The source's name: a file path or an {@code s3://} URL. */
    public String name() {
        return source.name();
    }

    /** Where the tensor data starts in the file (8 bytes of length, then the header); offsets are from here. */
    public long dataStart() {
        return dataStart;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensors in file (data offset) order. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public TensorInfo info(String name) throws SafetensorsException {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw SafetensorsException.of(name(), name, "no such tensor in the file");
        }
        return t;
    }

    /**
     * Tells the source which tensors will be read next, in this order, each whole and once (by
     * {@link #copyTo} or by {@link #readChunk} over all its bytes), so a remote source can stream them.
     */
    public void willRead(List<TensorInfo> inOrder) {
        List<ByteSource.Range> ranges = new ArrayList<>();
        for (TensorInfo t : inOrder) {
            if (t.byteLength() > 0) {
                ranges.add(new ByteSource.Range(dataStart + t.begin(), t.byteLength()));
            }
        }
        source.willRead(ranges);
    }

    /** The whole tensor in memory; for tensors under 2 GiB. */
    public Tensor read(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE - 16) {
            throw SafetensorsException.of(name(), name, t.byteLength()
                    + " bytes is too large to read whole; stream it with readChunk or copyTo");
        }
        ByteBuffer b = ByteBuffer.allocate((int) t.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        readChunk(t, 0, b);
        b.flip();
        return new Tensor(t.dtype(), t.shape(), b);
    }

    /**
     * Fills {@code dst} (all its remaining bytes) from the tensor's bytes starting at
     * {@code offsetInTensor}; the range must lie inside the tensor.
     */
    public void readChunk(TensorInfo t, long offsetInTensor, ByteBuffer dst) throws IOException {
        if (offsetInTensor < 0 || offsetInTensor + dst.remaining() > t.byteLength()) {
            throw SafetensorsException.of(name(), t.name(), "chunk [" + offsetInTensor + ", "
                    + (offsetInTensor + dst.remaining()) + ") is outside the tensor's " + t.byteLength() + " bytes");
        }
        readFully(source, dst, dataStart + t.begin() + offsetInTensor, "tensor '" + t.name() + "'");
    }

    /** Streams the tensor's bytes to {@code out} with no whole-tensor buffer. */
    public void copyTo(String name, WritableByteChannel out) throws IOException {
        copyTo(name, 0, info(name).byteLength(), out);
    }

    /** Streams {@code count} of the tensor's bytes from {@code offsetInTensor} to {@code out}. */
    public void copyTo(String name, long offsetInTensor, long count, WritableByteChannel out) throws IOException {
        TensorInfo t = info(name);
        if (offsetInTensor < 0 || count < 0 || offsetInTensor + count > t.byteLength()) {
            throw SafetensorsException.of(name(), name, "bytes [" + offsetInTensor + ", " + (offsetInTensor + count)
                    + ") are outside the tensor's " + t.byteLength() + " bytes");
        }
        try {
            source.transferTo(dataStart + t.begin() + offsetInTensor, count, out);
        } catch (EOFException e) {
            throw SafetensorsException.of(name(), "tensor '" + name + "': file truncated while copying", e);
        }
    }

    private static void readFully(ByteSource source, ByteBuffer dst, long position, String what) throws IOException {
        try {
            source.readFully(dst, position);
        } catch (EOFException e) {
            throw SafetensorsException.of(source.name(), "unexpected end of file while reading the " + what, e);
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
