package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.SafetensorsWriter;
import io.pbtnas.core.safetensors.TensorSpec;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pbtnas mix --root s3://...`: the parents streamed from a real gateway, in a child JVM with the
 * standard AWS environment (as an init container runs it); the child equals the local mix byte for byte.
 */
@WithS3Server
class S3MixTest {
    private static final String BUCKET = "mix-test";
    private static S3Objects s3;
    private static S3Endpoint endpoint;

    @BeforeAll
    static void bucket(S3Endpoint e) throws IOException {
        endpoint = e;
        s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey()));
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    /** `pbtnas mix ARGS` in a child JVM at -Xmx256m with the gateway's AWS environment; exit code and output. */
    static Cli.Result mix(Path log, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("mix"));
        all.addAll(List.of(args));
        Process p = Cli.start(log, endpoint.awsEnvironment(), all.toArray(String[]::new));
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "pbtnas mix did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return new Cli.Result(p.exitValue(), out, out);
    }

    @Test
    void theChildMixedFromTheBucketEqualsTheLocalMix(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("local");
        MixCommandTest.write(local.resolve("members/1/gen-0/model.safetensors"), "a", 1f);
        MixCommandTest.write(local.resolve("members/2/gen-0/model.safetensors"), "b", 2f);
        S3Location root = new S3Location(BUCKET, "searches/ns/small-1234abcd");
        s3.putNew(local.resolve("members/1/gen-0/model.safetensors"), root.resolve("members/1/gen-0/model.safetensors"));
        s3.putNew(local.resolve("members/2/gen-0/model.safetensors"), root.resolve("members/2/gen-0/model.safetensors"));

        Cli.Result l = Cli.run("mix", "--root", local.toString(), "--plan", MixCommandTest.PLAN,
                "--search-space", MixCommandTest.SPACE);
        assertEquals(0, l.code(), l.err());
        Path out = Files.createDirectories(dir.resolve("emptydir"));
        Cli.Result r = mix(dir.resolve("mix.log"), "--root", root.toString(), "--output-root", out.toString(),
                "--plan", MixCommandTest.PLAN, "--search-space", MixCommandTest.SPACE);
        assertEquals(0, r.code(), r.out());
        assertEquals(-1L, Files.mismatch(local.resolve("members/3/gen-1/input.safetensors"),
                out.resolve("members/3/gen-1/input.safetensors")), "same bytes as the local mix");
    }

    @Test
    void aMissingParentObjectIsNamedAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("emptydir"));
        Cli.Result r = mix(dir.resolve("mix.log"), "--root", "s3://" + BUCKET + "/searches/ns/gone-1234abcd",
                "--output-root", out.toString(), "--plan", MixCommandTest.PLAN, "--search-space", MixCommandTest.SPACE);
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("--plan.parentCheckpoint: s3://mix-test/searches/ns/gone-1234abcd/members/1/gen-0/"
                + "model.safetensors does not exist"), r.out());
        assertFalse(Files.exists(out.resolve("members/3/gen-1/input.safetensors")));

        Cli.Result bucket = mix(dir.resolve("bucket.log"), "--root", "s3://no-such-bucket/x", "--output-root",
                out.toString(), "--plan", MixCommandTest.PLAN, "--search-space", MixCommandTest.SPACE);
        assertEquals(1, bucket.code(), bucket.out());
        assertTrue(bucket.out().contains("s3://no-such-bucket/x/members/1/gen-0/model.safetensors")
                && bucket.out().contains("NoSuchBucket"), bucket.out());

        Cli.Result noOutput = Cli.run("mix", "--root", "s3://" + BUCKET + "/x", "--plan", MixCommandTest.PLAN,
                "--search-space", MixCommandTest.SPACE);
        if (System.getenv("PBTNAS_OUTPUT_ROOT") == null) {
            assertEquals(2, noOutput.code());
            assertTrue(noOutput.err().contains("--output-root: required when --root is an s3:// location"),
                    noOutput.err());
        }
    }

    /**
     * 1 GiB parents (F32 tensors of 8 genes, integer and optimizer tensors too), half the genes
     * swapped, mixed at -Xmx256m from the bucket: bounded memory, and the same bytes as the local mix.
     * Prints the times of the local mix, the streaming mix and download-then-mix, for the record.
     */
    @Test
    void aOneGibCheckpointMixesFromTheBucketAtXmx256m(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("local");
        Path parent = local.resolve("members/1/gen-0/model.safetensors");
        Path donor = local.resolve("members/2/gen-0/model.safetensors");
        writeLarge(parent, "a", 1, 1024);
        writeLarge(donor, "b", 2, 1024);
        S3Location root = new S3Location(BUCKET, "searches/ns/large-1234abcd");
        long u0 = System.nanoTime();
        s3.putNew(parent, root.resolve("members/1/gen-0/model.safetensors"));
        s3.putNew(donor, root.resolve("members/2/gen-0/model.safetensors"));
        double upload = (System.nanoTime() - u0) / 1e9;

        String plan = "{\"parent\":1,\"donor\":2,\"swappedGenes\":[\"cell0\",\"cell1\",\"cell2\",\"cell3\"],"
                + "\"shrink\":0.4,\"perturb\":0.1,\"seed\":5,\"parentCheckpoint\":\"members/1/gen-0/model.safetensors\","
                + "\"donorCheckpoint\":\"members/2/gen-0/model.safetensors\","
                + "\"output\":\"members/3/gen-1/input.safetensors\"}";
        long l0 = System.nanoTime();
        Cli.Result l = mix(dir.resolve("local.log"), "--root", local.toString(), "--plan", plan, "--search-space", SPACE);
        double localMix = (System.nanoTime() - l0) / 1e9;
        assertEquals(0, l.code(), l.out());

        Path out = Files.createDirectories(dir.resolve("emptydir"));
        long s0 = System.nanoTime();
        Cli.Result r = mix(dir.resolve("s3.log"), "--root", root.toString(), "--output-root", out.toString(),
                "--plan", plan, "--search-space", SPACE);
        double streamed = (System.nanoTime() - s0) / 1e9;
        assertEquals(0, r.code(), r.out());
        Path child = out.resolve("members/3/gen-1/input.safetensors");
        assertEquals(-1L, Files.mismatch(local.resolve("members/3/gen-1/input.safetensors"), child),
                "the streamed mix wrote the same bytes as the local one");

        // the alternative: download both parents whole, then mix locally
        Path copy = dir.resolve("downloaded");
        long d0 = System.nanoTime();
        s3.download(root.resolve("members/1/gen-0/model.safetensors"), copy.resolve("members/1/gen-0/model.safetensors"));
        s3.download(root.resolve("members/2/gen-0/model.safetensors"), copy.resolve("members/2/gen-0/model.safetensors"));
        double download = (System.nanoTime() - d0) / 1e9;
        Files.delete(local.resolve("members/3/gen-1/input.safetensors"));
        long m0 = System.nanoTime();
        Cli.Result m = mix(dir.resolve("copy.log"), "--root", copy.toString(), "--plan", plan, "--search-space", SPACE);
        double downloadedMix = (System.nanoTime() - m0) / 1e9;
        assertEquals(0, m.code(), m.out());
        System.out.printf("S3MixTest 1 GiB parents: upload both %.1f s; mix local %.1f s; mix streamed from the bucket"
                        + " %.1f s; download both %.1f s + mix %.1f s = %.1f s (each mix a child JVM at -Xmx256m)%n",
                upload, localMix, streamed, download, downloadedMix, download + downloadedMix);
    }

    static final String SPACE;

    static {
        StringBuilder b = new StringBuilder("{\"genes\":[");
        for (int g = 0; g < 8; g++) {
            b.append(g == 0 ? "" : ",").append("{\"name\":\"cell").append(g).append("\",\"options\":[\"a\",\"b\"]}");
        }
        SPACE = b.append("]}").toString();
    }

    /**
     * About {@code mib} MiB: F32 tensors of 16 MiB (tensor i owned by gene i % 8), per gene an I64
     * step counter and an optimizer slot, and an unowned head.
     */
    static void writeLarge(Path file, String option, long seed, int mib) throws IOException {
        List<TensorSpec> layout = new ArrayList<>();
        Map<String, InitDistribution> init = new LinkedHashMap<>();
        int tensors = mib / 16 - 9; // with the 8 optimizer slots: mib MiB
        for (int i = 0; i < tensors; i++) {
            String name = "cell" + (i % 8) + ".layer" + i + ".weight";
            layout.add(new TensorSpec(name, DType.F32, new long[] {4096, 1024}));
            init.put(name, new InitDistribution.Normal(0, 0.02));
        }
        for (int g = 0; g < 8; g++) {
            layout.add(new TensorSpec("cell" + g + ".steps", DType.I64, new long[] {3}));
            layout.add(new TensorSpec("optimizer/momentum/cell" + g + ".layer" + g + ".weight", DType.F32,
                    new long[] {4096, 1024}));
        }
        layout.add(new TensorSpec("head.weight", DType.F32, new long[] {1000, 10}));
        init.put("head.weight", new InitDistribution.Normal(0, 0.02));
        Map<String, String> meta = new LinkedHashMap<>();
        StringBuilder genome = new StringBuilder("{");
        for (int g = 0; g < 8; g++) {
            genome.append(g == 0 ? "" : ",").append("\"cell").append(g).append("\":\"").append(option).append('"');
        }
        meta.put(CheckpointMetadata.GENOME, genome.append('}').toString());
        meta.put(CheckpointMetadata.INIT, InitDistribution.toJson(init));
        Files.createDirectories(file.getParent());
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom rng = new SplittableRandom(seed);
        try (SafetensorsWriter w = SafetensorsWriter.create(file, meta, layout)) {
            for (TensorSpec t : layout) {
                for (long left = t.byteLength(); left > 0; ) {
                    chunk.clear();
                    int n = (int) Math.min(chunk.capacity(), left);
                    chunk.limit(n);
                    while (chunk.remaining() >= 8) {
                        chunk.putLong(t.dtype() == DType.I64 ? rng.nextLong(1000)
                                : Float.floatToRawIntBits((float) (rng.nextDouble() - 0.5)) & 0xffffffffL
                                        | (long) Float.floatToRawIntBits((float) (rng.nextDouble() - 0.5)) << 32);
                    }
                    chunk.flip();
                    w.writeChunk(t.name(), chunk);
                    left -= n;
                }
            }
            w.commit();
        }
    }
}
