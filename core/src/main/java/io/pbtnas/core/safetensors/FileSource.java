package io.pbtnas.core.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file as a {@link ByteSource}: positional reads and kernel copies (transferTo). */
public final class FileSource implements ByteSource {
    private final Path file;
    private final FileChannel channel;

    private FileSource(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    public static FileSource open(Path file) throws IOException {
        try {
            return new FileSource(file, FileChannel.open(file, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            throw SafetensorsException.of(file, "no such file");
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void readFully(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new EOFException(file + ": unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /**
     * A kernel copy. The first piece ends at a {@link DataAlignment#MODULUS} boundary of this file,
     * so that the rest proceeds from one: with a destination at the same offset modulo it, that copy
     * costs about 0.7× the CPU of one that starts off the boundary (see {@link DataAlignment}).
     */
    @Override
    public void transferTo(long position, long count, WritableByteChannel out) throws IOException {
        long pos = position;
        long end = position + count;
        long boundary = Math.min(end, Math.floorDiv(pos + DataAlignment.MODULUS - 1, DataAlignment.MODULUS)
                * DataAlignment.MODULUS);
        while (pos < end) {
            long n = channel.transferTo(pos, (pos < boundary ? boundary : end) - pos, out);
            if (n <= 0) {
                if (channel.size() < end) {
                    throw new EOFException(file + ": file truncated while copying");
                }
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(1 << 20, end - pos));
                readFully(b, pos);
                b.flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
                n = b.limit();
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
