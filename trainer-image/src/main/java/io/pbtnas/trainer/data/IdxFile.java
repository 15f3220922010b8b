package io.pbtnas.trainer.data;

import io.pbtnas.trainer.BadInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of (Fashion-)MNIST: a big-endian header (magic 0x0000080D where D is the number
 * of dimensions, then D sizes) and unsigned bytes. Gzipped files are recognised by their magic bytes.
 */
public final class IdxFile {
    private static final int UBYTE = 0x08;

    private IdxFile() {
    }

    /** An idx3 file: images [count, rows, cols]. */
    public static Contents readImages(Path file) {
        return read(file, 3);
    }

    /** An idx1 file: labels [count]. */
    public static Contents readLabels(Path file) {
        return read(file, 1);
    }

    /** The dimensions and the bytes of one file. */
    public record Contents(int[] dims, byte[] data) {
    }

    private static Contents read(Path file, int expectedDims) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            int type = (magic >>> 8) & 0xff;
            int dims = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UBYTE || dims != expectedDims) {
                throw malformed(file, String.format("header magic 0x%08x, expected 0x%08x (unsigned bytes, %d dimension%s)",
                        magic, (UBYTE << 8) | expectedDims, expectedDims, expectedDims == 1 ? "" : "s"));
            }
            int[] d = new int[dims];
            long count = 1;
            for (int i = 0; i < dims; i++) {
                d[i] = in.readInt();
                if (d[i] <= 0) {
                    throw malformed(file, "dimension " + i + " is " + d[i]);
                }
                count *= d[i];
            }
            if (count > Integer.MAX_VALUE - 16) {
                throw malformed(file, "too large: " + count + " bytes");
            }
            byte[] data = new byte[(int) count];
            in.readFully(data);
            return new Contents(d, data);
        } catch (EOFException e) {
            throw malformed(file, "the file ends before the data its header announces (truncated download?)");
        } catch (IOException e) {
            throw malformed(file, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static BadInputException malformed(Path file, String why) {
        return new BadInputException("malformed IDX file " + file + ": " + why + ". Replace it with the original "
                + "Fashion-MNIST file (apt-get install dataset-fashion-mnist puts them in "
                + FashionMnist.DEBIAN_DIR + ")");
    }
}
