package io.pbtnas.cli.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.steps.MixStep;
import io.pbtnas.cli.support.LargeCheckpoints;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.TensorInfo;
import io.pbtnas.core.safetensors.ByteSource.Range;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * How announced reads become GETs: nearby ranges share one, far ones get their own; against the real
 * gateway, each run is one GET, sent in order once the previous run is read, whose bytes are read
 * once, and a mix from the bucket fetches no byte twice.
 */
@WithS3Server
class S3ObjectSourceTest {
    private static final int MIB = 1 << 20;

    @Test
    void rangesWithSmallGapsShareAGetAndLargeGapsStartANewOne() {
        long gap = S3ObjectSource.MAX_GAP;
        Range a = new Range(8, 100);
        Range b = new Range(108, 50); // adjacent
        Range c = new Range(158 + gap, 10); // exactly the largest gap still read through
        Range d = new Range(168 + gap + gap + 1, 10); // one byte more: its own GET
        List<S3ObjectSource.Run> runs = S3ObjectSource.runs(List.of(a, new Range(120, 0), b, c, d));
        assertEquals(List.of(new S3ObjectSource.Run(8, 168 + gap, List.of(a, b, c)),
                new S3ObjectSource.Run(d.start(), d.end(), List.of(d))), runs);
    }

    /** Each object GET's Range header, and how many body bytes the client had read when it was sent. */
    static final class Gets implements ExecutionInterceptor {
        final List<String> ranges = new ArrayList<>();
        final List<Long> readWhenSent = new ArrayList<>();
        final AtomicLong read = new AtomicLong();

        @Override
        public synchronized void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.httpRequest().method() == SdkHttpMethod.GET) {
                ranges.add(context.httpRequest().firstMatchingHeader("Range").orElse("whole"));
                readWhenSent.add(read.get());
            }
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            if (context.httpRequest().method() != SdkHttpMethod.GET) {
                return context.responseBody();
            }
            return context.responseBody().map(in -> new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    read.addAndGet(b >= 0 ? 1 : 0);
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    read.addAndGet(Math.max(0, n));
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long skipped = super.skip(n); // a gap read through: its bytes came over the wire too
                    read.addAndGet(Math.max(0, skipped));
                    return skipped;
                }
            });
        }
    }

    @Test
    void eachRunIsOneGetInOrderAndEveryByteIsFetchedOnce(S3Endpoint e, @TempDir Path dir) throws Exception {
        Gets gets = new Gets();
        S3Settings settings = S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey());
        try (S3Objects s3 = new S3Objects(S3Clients.create(settings, List.of(gets)), S3Objects.DEFAULT_PART_SIZE)) {
            String bucket = "source-runs";
            s3.createBucket(bucket);
            byte[] bytes = new byte[24 * MIB];
            new SplittableRandom(3).nextBytes(bytes);
            S3Location object = new S3Location(bucket, "o.bin");
            s3.putNew(Files.write(dir.resolve("o.bin"), bytes), object);
            // three runs: [0, 7 MiB + 100) with a small gap, [14, 17) MiB and [22, 24) MiB after large ones
            List<Range> plan = List.of(new Range(0, 6 * MIB), new Range(6 * MIB + 100, MIB),
                    new Range(14 * MIB, 3 * MIB), new Range(22 * MIB, 2 * MIB));
            long[] runEnds = {7 * MIB + 100, 17 * MIB, 24 * MIB};
            long[] runLengths = {7 * MIB + 100, 3 * MIB, 2 * MIB};

            try (ByteSource src = s3.open(object)) {
                src.willRead(plan);
                for (Range r : plan) {
                    for (long p = r.start(); p < r.end(); p += MIB) {
                        int n = (int) Math.min(MIB, r.end() - p);
                        ByteBuffer b = ByteBuffer.allocate(n);
                        src.readFully(b, p);
                        assertArrayEquals(Arrays.copyOfRange(bytes, (int) p, (int) p + n), b.array(), "bytes at " + p);
                    }
                }
            }

            List<String> ranges;
            List<Long> readWhenSent;
            synchronized (gets) {
                ranges = List.copyOf(gets.ranges);
                readWhenSent = List.copyOf(gets.readWhenSent);
            }
            assertEquals(List.of("bytes=0-" + (runEnds[0] - 1), "bytes=" + 14 * MIB + "-" + (runEnds[1] - 1),
                    "bytes=" + 22 * MIB + "-" + (runEnds[2] - 1)), ranges, "one GET per run, in order");
            assertEquals(runLengths[0] + runLengths[1] + runLengths[2], gets.read.get(),
                    "every byte of the runs read once, the small gap included, nothing again");
            for (int i = 1; i < 3; i++) {
                long before = 0;
                for (int j = 0; j < i; j++) {
                    before += runLengths[j];
                }
                assertEquals(before, readWhenSent.get(i), "run " + i + "'s GET is sent once run " + (i - 1) + " is read");
            }
        }
    }

    /**
     * A mix from the bucket fetches each byte it needs once: both headers, the parent's kept tensors
     * and the donor's swapped ones, nothing twice. Two genes over four tensors interleave the two
     * parents' tensors, so each parent is two runs.
     */
    @Test
    void aMixFromTheBucketFetchesEachByteItNeedsOnce(S3Endpoint e, @TempDir Path dir) throws Exception {
        Gets gets = new Gets();
        S3Settings settings = S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey());
        try (S3Objects s3 = new S3Objects(S3Clients.create(settings, List.of(gets)), S3Objects.DEFAULT_PART_SIZE)) {
            s3.createBucket("mix-once");
            S3Location root = new S3Location("mix-once", "searches/ns/s-1234abcd");
            LargeCheckpoints shape = new LargeCheckpoints(64, 2);
            Path parent = dir.resolve("parent.safetensors");
            Path donor = dir.resolve("donor.safetensors");
            shape.write(parent, "a", 1);
            shape.write(donor, "b", 2);
            s3.putNew(parent, root.resolve("members/1/gen-0/model.safetensors"));
            s3.putNew(donor, root.resolve("members/2/gen-0/model.safetensors"));
            String plan = Json.MAPPER.writeValueAsString(Map.of("parent", 1, "donor", 2,
                    "swappedGenes", shape.halfTheGenes(), "shrink", 0.4, "perturb", 0.1, "seed", 5,
                    "parentCheckpoint", "members/1/gen-0/model.safetensors",
                    "donorCheckpoint", "members/2/gen-0/model.safetensors", "output", "members/3/gen-1/input.safetensors"));

            MixStep.fromJson(root, Files.createDirectories(dir.resolve("out")), plan, shape.spaceJson(), () -> s3).run();

            long needed = 0;
            try (SafetensorsReader p = SafetensorsReader.open(parent); SafetensorsReader d = SafetensorsReader.open(donor)) {
                needed += p.dataStart() + d.dataStart(); // each header: its length, then the JSON
                for (TensorInfo t : p.tensors()) {
                    boolean swapped = t.name().startsWith("cell0."); // halfTheGenes of two: cell0
                    needed += swapped ? d.info(t.name()).byteLength() : t.byteLength();
                }
            }
            List<String> ranges;
            synchronized (gets) {
                ranges = List.copyOf(gets.ranges);
            }
            assertEquals(needed, gets.read.get(), "bytes fetched: each needed byte once; GETs " + ranges);
            assertEquals(8, ranges.size(), "per parent: header length, header, and one GET per run of two; " + ranges);
            assertTrue(Files.size(dir.resolve("out/members/3/gen-1/input.safetensors")) > 64L << 20, "the child is written");
        }
    }
}
