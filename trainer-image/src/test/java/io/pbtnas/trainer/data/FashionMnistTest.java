package io.pbtnas.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.trainer.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path tmp;

    @Test
    void readsPlainAndGzippedIdx() throws IOException {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Path plain = tmp.resolve("imgs");
        Files.write(plain, idx(3, new int[] {3, 2, 2}, pixels));
        Path gz = tmp.resolve("imgs.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(idx(3, new int[] {3, 2, 2}, pixels));
        }
        for (Path p : new Path[] {plain, gz}) {
            IdxFile.Contents c = IdxFile.readImages(p);
            assertArrayEquals(new int[] {3, 2, 2}, c.dims());
            assertArrayEquals(pixels, c.data());
        }
    }

    @Test
    void malformedFilesNameThePathAndTheFix() throws IOException {
        Path truncated = tmp.resolve("t");
        Files.write(truncated, Arrays.copyOf(idx(3, new int[] {3, 2, 2}, new byte[12]), 20));
        BadInputException e = assertThrows(BadInputException.class, () -> IdxFile.readImages(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        Path labelsAsImages = tmp.resolve("l");
        Files.write(labelsAsImages, idx(1, new int[] {4}, new byte[4]));
        e = assertThrows(BadInputException.class, () -> IdxFile.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void missingDataSaysWhereAndHowToGetIt() {
        Path nowhere = tmp.resolve("no-such-dir");
        BadInputException e = assertThrows(BadInputException.class, () -> FashionMnist.load(nowhere, 10, 10, 10));
        assertTrue(e.getMessage().contains(nowhere.resolve("train-images-idx3-ubyte").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("taskArgs.dataDir"), e.getMessage());
    }

    @Test
    void realDataSplitsHoldOutValidationFromTheTrainingFile() {
        DataSplits d = FashionMnist.load(FashionMnist.DEBIAN_DIR, 300, 100, 50);
        assertEquals(300, d.train().size());
        assertEquals(100, d.validation().size());
        assertEquals(50, d.test().size());
        assertEquals(28, d.train().rows());
        int[] counts = new int[10];
        for (int i = 0; i < d.train().size(); i++) {
            counts[d.train().label(i)]++;
        }
        assertTrue(Arrays.stream(counts).allMatch(c -> c > 10), "all classes present: " + Arrays.toString(counts));
        // the validation images are the training file's last 10,000: not the first ones
        DataSplits all = FashionMnist.load(FashionMnist.DEBIAN_DIR, 0, 0, 0);
        assertEquals(50_000, all.train().size());
        assertEquals(10_000, all.validation().size());
        assertEquals(10_000, all.test().size());
        assertNotEquals(Arrays.toString(Arrays.copyOf(all.train().pixels(), 784)),
                Arrays.toString(Arrays.copyOf(all.validation().pixels(), 784)));
        assertThrows(BadInputException.class, () -> FashionMnist.load(FashionMnist.DEBIAN_DIR, 50_001, 0, 0));
    }

    @Test
    void epochOrderIsAPermutationFixedBySeedAndEpoch() {
        int[] a = Batches.epochOrder(100, 3, 1);
        assertArrayEquals(a, Batches.epochOrder(100, 3, 1));
        assertTrue(!Arrays.equals(a, Batches.epochOrder(100, 3, 2)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Batches.identity(100), sorted);
    }

    private static byte[] idx(int dims, int[] sizes, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(0x0800 | dims);
        for (int s : sizes) {
            o.writeInt(s);
        }
        o.write(data);
        return b.toByteArray();
    }
}
