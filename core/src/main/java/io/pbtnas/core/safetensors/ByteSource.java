package io.pbtnas.core.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * Read-only bytes with positional reads, what a {@link SafetensorsReader} reads from: a local file
 * ({@link FileSource}), or an object in a bucket (the cli's S3 source, which streams). Reads are
 * thread-safe; the mix's worker threads read one source at once.
 */
public interface ByteSource extends Closeable {

    /** A range of bytes, {@code [start, start + length)}. */
    record Range(long start, long length) {
        public Range {
            if (start < 0 || length < 0) {
                throw new IllegalArgumentException("range [" + start + ", +" + length + ") must not be negative");
            }
        }

        public long end() {
            return start + length;
        }
    }

    /** What messages call it: a file path or an {@code s3://} URL. */
    String name();

    long size() throws IOException;

    /** Fills all of {@code dst}'s remaining bytes from {@code position}; fails past the end. */
    void readFully(ByteBuffer dst, long position) throws IOException;

    /** Streams {@code [position, position + count)} to {@code out}; a file does it as a kernel copy. */
    default void transferTo(long position, long count, WritableByteChannel out) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, count)));
        for (long pos = position, end = position + count; pos < end; ) {
            b.clear().limit((int) Math.min(b.capacity(), end - pos));
            readFully(b, pos);
            b.flip();
            pos += b.remaining();
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
    }

    /**
     * A hint: these ranges, in this order, each read exactly once, are what comes next. A remote
     * source streams them with one request per run instead of one per read; a file ignores it.
     */
    default void willRead(List<Range> ranges) {
    }
}
