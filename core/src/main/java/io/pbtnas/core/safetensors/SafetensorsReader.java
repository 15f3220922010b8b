package io.pbtnas.core.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a safetensors file without loading it: the header is parsed and validated strictly
 * at {@link #open}, tensor bytes are read on demand, whole or in chunks.
 */
public final class SafetensorsReader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Header header) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = header.metadata;
        this.tensors = header.tensors;
        this.byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            byName.put(t.name(), t);
        }
    }

    public static SafetensorsReader open(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw SafetensorsException.of(file, "no such file");
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw SafetensorsException.of(file, "file has " + size + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file, "header length");
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
            readFully(ch, hb, 8, file, "header");
            Header header = Header.parse(file, hb.array(), size - 8 - headerLength);
            return new SafetensorsReader(file, ch, 8 + headerLength, header);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path file() {
        return file;
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
            throw SafetensorsException.of(file, name, "no such tensor in the file");
        }
        return t;
    }

    /** The whole tensor in memory; for tensors under 2 GiB. */
    public Tensor read(String name) throws IOException {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE - 16) {
            throw SafetensorsException.of(file, name, t.byteLength()
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
            throw SafetensorsException.of(file, t.name(), "chunk [" + offsetInTensor + ", "
                    + (offsetInTensor + dst.remaining()) + ") is outside the tensor's " + t.byteLength() + " bytes");
        }
        readFully(channel, dst, dataStart + t.begin() + offsetInTensor, file, "tensor '" + t.name() + "'");
    }

    /** Streams the tensor's bytes to {@code out} with no whole-tensor buffer. */
    public void copyTo(String name, WritableByteChannel out) throws IOException {
        TensorInfo t = info(name);
        long pos = dataStart + t.begin();
        long end = dataStart + t.end();
        while (pos < end) {
            long n = channel.transferTo(pos, end - pos, out);
            if (n <= 0) {
                if (channel.size() < end) {
                    throw SafetensorsException.of(file, name, "file truncated while copying");
                }
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(1 << 20, end - pos));
                readFully(channel, b, pos, file, "tensor '" + name + "'");
                b.flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
                n = b.limit();
            }
            pos += n;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file, String what)
            throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw SafetensorsException.of(file, "unexpected end of file while reading the " + what,
                        new EOFException());
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
