package io.pbtnas.cli.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 reader and writer against the real gateway (versitygw). */
@WithS3Server
class S3ObjectsTest {
    private static final String BUCKET = "objects-test";
    private static S3Objects s3;

    @BeforeAll
    static void client(S3Endpoint e) throws IOException {
        s3 = new S3Objects(S3Clients.create(S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey())),
                5L << 20);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static S3Location at(String key) {
        return new S3Location(BUCKET, key);
    }

    @Test
    void aSmallFileGoesUpOnceAndIsNeverReplaced(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("a.bin"), random(1000, 1));
        s3.putNew(f, at("small/a.bin"));
        Files.write(f, random(1000, 2));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> s3.putNew(f, at("small/a.bin")));
        assertTrue(e.getMessage().contains("s3://objects-test/small/a.bin"), e.getMessage());
        Path back = dir.resolve("back.bin");
        s3.download(at("small/a.bin"), back);
        assertArrayEquals(random(1000, 1), Files.readAllBytes(back), "the first upload stays");
    }

    @Test
    void aLargeFileGoesUpInPartsAndIsNeverReplaced(@TempDir Path dir) throws IOException {
        byte[] bytes = random(12 << 20, 3); // 3 parts of 5 MiB, the last one short
        Path f = Files.write(dir.resolve("big.bin"), bytes);
        s3.putNew(f, at("multi/big.bin"));
        assertEquals(bytes.length, s3.size(at("multi/big.bin")));
        Path back = dir.resolve("back.bin");
        s3.download(at("multi/big.bin"), back);
        assertArrayEquals(bytes, Files.readAllBytes(back));
        Files.write(f, random(12 << 20, 4));
        assertThrows(FileAlreadyExistsException.class, () -> s3.putNew(f, at("multi/big.bin")));
        Files.delete(back);
        s3.download(at("multi/big.bin"), back);
        assertArrayEquals(bytes, Files.readAllBytes(back), "the completed upload was not replaced");
    }

    @Test
    void anAttemptGoesUpWithMetricsLastAndNotAtAllWhenAnObjectFails(@TempDir Path dir) throws IOException {
        Path attempt = Files.createDirectories(dir.resolve("attempt-0"));
        Files.writeString(attempt.resolve("metrics.json"), "{\"score\":0.5}");
        Files.write(attempt.resolve("model.safetensors"), random(3000, 5));
        Files.writeString(attempt.resolve("zz-notes.txt"), "sorted after metrics.json by name");
        List<S3Location> written = s3.putAttempt(attempt, at("members/0/gen-0/attempt-0"));
        assertEquals(List.of(at("members/0/gen-0/attempt-0/model.safetensors"),
                at("members/0/gen-0/attempt-0/zz-notes.txt"), at("members/0/gen-0/attempt-0/metrics.json")), written);
        assertEquals(Map.of("metrics.json", 13L, "model.safetensors", 3000L, "zz-notes.txt", 33L),
                s3.list(at("members/0/gen-0/attempt-0")));

        // a second writer of the same attempt collides on its first object: its metrics.json never goes up
        s3.putNew(attempt.resolve("model.safetensors"), at("members/0/gen-0/attempt-1/model.safetensors"));
        assertThrows(FileAlreadyExistsException.class, () -> s3.putAttempt(attempt, at("members/0/gen-0/attempt-1")));
        assertFalse(s3.exists(at("members/0/gen-0/attempt-1/metrics.json")));
    }

    @Test
    void announcedRangesStreamAndOthersAreRangedGets(@TempDir Path dir) throws Exception {
        byte[] bytes = random(20 << 20, 6);
        s3.putNew(Files.write(dir.resolve("o.bin"), bytes), at("stream/o.bin"));
        // ranges as a mix reads them: in order, with gaps (small: read and dropped; large: a new GET)
        List<ByteSource.Range> plan = List.of(new ByteSource.Range(100, 5 << 20), new ByteSource.Range((5 << 20) + 200, 1000),
                new ByteSource.Range(12 << 20, (6 << 20) + 7));
        try (ByteSource src = s3.open(at("stream/o.bin"))) {
            assertEquals(bytes.length, src.size());
            byte[] head = new byte[8];
            src.readFully(ByteBuffer.wrap(head), 0); // not announced: a GET of its own
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 0, 8), head);
            src.willRead(plan);
            // four readers at once, each taking 256 KiB pieces of the ranges in order (like the mix's workers)
            List<long[]> pieces = new ArrayList<>();
            for (ByteSource.Range r : plan) {
                for (long p = r.start(); p < r.end(); p += 256 << 10) {
                    pieces.add(new long[] {p, Math.min(256 << 10, r.end() - p)});
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (long[] piece : pieces) {
                    done.add(pool.submit(() -> {
                        ByteBuffer b = ByteBuffer.allocateDirect((int) piece[1]);
                        src.readFully(b, piece[0]);
                        byte[] got = new byte[(int) piece[1]];
                        b.flip().get(got);
                        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, (int) piece[0], (int) (piece[0] + piece[1])),
                                got, "bytes at " + piece[0]);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            byte[] again = new byte[1000];
            src.readFully(ByteBuffer.wrap(again), 100); // announced and read already: a GET of its own
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 100, 1100), again);
            assertThrows(java.io.EOFException.class, () -> src.readFully(ByteBuffer.allocate(10), bytes.length - 5));
        }
    }

    @Test
    void missingObjectsAndBucketsAreNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> s3.open(at("no/such.bin")));
        assertTrue(e.getMessage().contains("s3://objects-test/no/such.bin"), e.getMessage());
        IOException head = assertThrows(IOException.class, () -> s3.open(new S3Location("no-such-bucket", "x")));
        assertTrue(head.getMessage().contains("NoSuchBucket"), head.getMessage());
        IOException b = assertThrows(IOException.class, () -> s3.list(new S3Location("no-such-bucket", "x/")));
        assertTrue(b.getMessage().contains("NoSuchBucket") && b.getMessage().contains("s3://no-such-bucket/x/"),
                b.getMessage());
    }
}
