package io.pbtnas.core.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.DataAlignment;
import io.pbtnas.core.safetensors.Durability;
import io.pbtnas.core.safetensors.FileSource;
import io.pbtnas.core.safetensors.HalfFloats;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShrinkPerturbTest {
    static final SearchSpace SPACE = new SearchSpace(List.of(
            new Gene("cell0", List.of("conv3x3", "conv5x5")),
            new Gene("cell1", List.of("skip", "conv5x5"))));

    @TempDir
    Path dir;

    static void checkpoint(Path file, Genome genome, Map<String, InitDistribution> init,
                           LinkedHashMap<String, Tensor> tensors) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.GENOME, genome.toJson());
        meta.put(CheckpointMetadata.EPOCH, "1");
        meta.put(CheckpointMetadata.INIT, InitDistribution.toJson(init));
        Safetensors.write(file, meta, tensors);
    }

    static float[] ramp(int n, float start, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return v;
    }

    private Path parent() throws IOException {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("stem.weight", Tensor.ofFloats(new long[] {4}, new float[] {1, -0.0f, Float.NaN, 3}));
        t.put("cell0.conv.weight", Tensor.ofFloats(new long[] {2, 3}, ramp(6, 10, 1)));
        t.put("cell0.bn.num_batches", Tensor.ofLongs(new long[] {}, new long[] {7}));
        t.put("cell1.skip.scale", Tensor.ofDoubles(new long[] {1}, new double[] {2}));
        t.put("optimizer/exp_avg/cell0.conv.weight", Tensor.ofFloats(new long[] {2, 3}, ramp(6, 1, 1)));
        t.put("optimizer/exp_avg/stem.weight", Tensor.ofFloats(new long[] {4}, ramp(4, 5, 1)));
        t.put("head.weight", Tensor.ofBytes(DType.BF16, new long[] {2}, bf16(0.5f, -1.5f)));
        Path p = dir.resolve("parent.safetensors");
        checkpoint(p, new Genome(Map.of("cell0", "conv3x3", "cell1", "skip")), Map.of(
                "stem.weight", new InitDistribution.Normal(0, 0.1),
                "cell0.conv.weight", new InitDistribution.Normal(0, 1),
                "cell1.skip.scale", new InitDistribution.Constant(1)), t);
        return p;
    }

    private Path donor() throws IOException {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("stem.weight", Tensor.ofFloats(new long[] {4}, ramp(4, 100, 1)));
        t.put("cell0.conv.weight", Tensor.ofFloats(new long[] {2, 3}, ramp(6, -3, 0.75f)));
        t.put("cell0.bn.num_batches", Tensor.ofLongs(new long[] {}, new long[] {99}));
        t.put("cell1.conv.weight", Tensor.ofBytes(DType.F16, new long[] {3}, f16(1f, -2f, 0.25f)));
        t.put("cell1.conv.bias", Tensor.ofDoubles(new long[] {2}, new double[] {0.5, -4}));
        t.put("optimizer/exp_avg/cell0.conv.weight", Tensor.ofFloats(new long[] {2, 3}, ramp(6, 50, 1)));
        t.put("optimizer/step/cell0.conv.weight", Tensor.ofLongs(new long[] {}, new long[] {12}));
        t.put("head.weight", Tensor.ofBytes(DType.BF16, new long[] {2}, bf16(8f, 9f)));
        Path d = dir.resolve("donor.safetensors");
        checkpoint(d, new Genome(Map.of("cell0", "conv3x3", "cell1", "conv5x5")), Map.of(
                "cell0.conv.weight", new InitDistribution.Constant(0.5),
                "cell1.conv.weight", new InitDistribution.Uniform(-1, 1),
                "cell1.conv.bias", new InitDistribution.Normal(0.25, 0.5)), t);
        return d;
    }

    @Test
    void swappedTensorsAreExactlyShrinkTimesDonorPlusPerturbTimesFresh() throws Exception {
        Path out = dir.resolve("child/input.safetensors");
        long seed = 1234;
        ShrinkPerturb.mix(parent(), donor(), List.of("cell0", "cell1"), Map.of(), 0.4, 0.1, seed, SPACE, out);

        Map<String, Tensor> child = Safetensors.readAll(out);
        Map<String, Tensor> par = Safetensors.readAll(dir.resolve("parent.safetensors"));
        // λ·donor + γ·constant(0.5), computed in float32.
        float[] d = ramp(6, -3, 0.75f);
        float[] got = child.get("cell0.conv.weight").toFloats();
        for (int i = 0; i < 6; i++) {
            assertEquals(0.4f * d[i] + 0.1f * 0.5f, got[i], 0f, "cell0.conv.weight[" + i + "]");
        }
        // F16 via float, fresh from uniform(-1,1) drawn with the tensor's seed.
        float[] fresh = new float[3];
        FreshValues.fill(new InitDistribution.Uniform(-1, 1), FreshValues.tensorSeed(seed, "cell1.conv.weight"), 0,
                fresh, 3);
        float[] donorHalf = {1f, -2f, 0.25f};
        float[] half = child.get("cell1.conv.weight").toFloatsWidened();
        for (int i = 0; i < 3; i++) {
            float expect = HalfFloats.f16ToFloat(HalfFloats.floatToF16(0.4f * donorHalf[i] + 0.1f * fresh[i]));
            assertEquals(expect, half[i], 0f, "cell1.conv.weight[" + i + "]");
            assertTrue(Math.abs(half[i] - 0.4f * donorHalf[i]) <= 0.1f + 1e-3f, "perturbation within γ·|U(-1,1)|");
        }
        // F64 in double precision.
        double[] freshD = new double[2];
        FreshValues.fill(new InitDistribution.Normal(0.25, 0.5), FreshValues.tensorSeed(seed, "cell1.conv.bias"), 0,
                freshD, 2);
        double[] bias = child.get("cell1.conv.bias").toDoubles();
        assertEquals(0.4 * 0.5 + 0.1 * freshD[0], bias[0], 0.0);
        assertEquals(0.4 * -4 + 0.1 * freshD[1], bias[1], 0.0);
        // Integer tensors of swapped genes come from the donor; their optimizer state is reset.
        assertArrayEquals(new long[] {99}, child.get("cell0.bn.num_batches").toLongs());
        assertArrayEquals(new float[6], child.get("optimizer/exp_avg/cell0.conv.weight").toFloats());
        assertArrayEquals(new long[] {0}, child.get("optimizer/step/cell0.conv.weight").toLongs());
        // Everything else is the parent's, bit for bit (NaN and -0.0 included); the parent's cell1 is gone.
        for (String name : List.of("stem.weight", "optimizer/exp_avg/stem.weight", "head.weight")) {
            assertEquals(par.get(name), child.get(name), name + " copied from the parent");
        }
        assertFalse(child.containsKey("cell1.skip.scale"), "the parent's tensors of a swapped gene are replaced");

        try (SafetensorsReader r = SafetensorsReader.open(out)) {
            assertEquals(new Genome(Map.of("cell0", "conv3x3", "cell1", "conv5x5")),
                    Genome.fromJson(r.metadata().get(CheckpointMetadata.GENOME)));
            Map<String, InitDistribution> init = InitDistribution.parseTable(r.metadata().get(CheckpointMetadata.INIT));
            assertEquals(new InitDistribution.Uniform(-1, 1), init.get("cell1.conv.weight"));
            assertEquals(new InitDistribution.Normal(0, 0.1), init.get("stem.weight"));
            assertFalse(init.containsKey("cell1.skip.scale"));
            assertEquals("1", r.metadata().get(CheckpointMetadata.EPOCH));
        }
        // Same plan, same bytes.
        Path again = dir.resolve("again.safetensors");
        ShrinkPerturb.mix(dir.resolve("parent.safetensors"), dir.resolve("donor.safetensors"),
                List.of("cell0", "cell1"), Map.of(), 0.4, 0.1, seed, SPACE, again);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
        // Left in the page cache (the benchmark's mode): the same bytes, only not forced to disk.
        Path unsynced = dir.resolve("unsynced.safetensors");
        ShrinkPerturb.mix(dir.resolve("parent.safetensors"), dir.resolve("donor.safetensors"),
                List.of("cell0", "cell1"), Map.of(), 0.4, 0.1, seed, SPACE, unsynced, Durability.PAGE_CACHE);
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(unsynced));
    }

    @Test
    void freshValuesFollowTheRecordedDistributionOverALargeTensor() throws Exception {
        int n = 1 << 20; // 16 fresh-value blocks, 4 chunks
        float[] donorValues = new float[n];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            donorValues[i] = (float) r.nextGaussian();
        }
        for (InitDistribution dist : List.of(new InitDistribution.Normal(0.2, 0.05),
                new InitDistribution.Uniform(-0.3, 0.1))) {
            LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
            t.put("cell0.big", Tensor.ofFloats(new long[] {1024, 1024}, donorValues));
            Path p = dir.resolve("big-" + dist.getClass().getSimpleName() + ".safetensors");
            checkpoint(p, new Genome(Map.of("cell0", "conv3x3", "cell1", "skip")), Map.of("cell0.big", dist), t);
            Path out = dir.resolve("big-out.safetensors");
            Files.deleteIfExists(out);
            ShrinkPerturb.mix(p, p, List.of("cell0"), Map.of(), 0.4, 0.1, 77, SPACE, out);
            float[] mixed = Safetensors.readAll(out).get("cell0.big").toFloats();
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double f = ((double) mixed[i] - (double) (0.4f * donorValues[i])) / 0.1f;
                sum += f;
                sq += f * f;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            // Standard errors with n = 2^20: mean σ/√n, variance σ²·√(2/n) (normal; smaller for uniform).
            // 6 standard errors: a correct sampler fails with probability ~1e-9, a wrong scale or shift
            // (e.g. std instead of variance, a missing mean) is off by hundreds of them. Float rounding of
            // λ·donor adds at most ~1e-7/γ per element, far below these bounds.
            double se = Math.sqrt(dist.variance() / n);
            assertEquals(dist.mean(), mean, 6 * se, dist + " mean");
            assertEquals(dist.variance(), var, 6 * dist.variance() * Math.sqrt(2.0 / n), dist + " variance");
            float[] block0 = Arrays.copyOfRange(mixed, 0, 64);
            float[] block1 = Arrays.copyOfRange(mixed, FreshValues.BLOCK, FreshValues.BLOCK + 64);
            assertNotEquals(Arrays.toString(block0), Arrays.toString(block1));
        }
    }

    @Test
    void chunkedParallelMixingEqualsOneSequentialDrawPerBlock() throws Exception {
        // Over a chunk boundary, with a partial last block of odd length, in F32 and F16.
        int n = ShrinkPerturb.CHUNK_ELEMENTS + 2 * FreshValues.BLOCK + 12345;
        int h = FreshValues.BLOCK + 33;
        float[] donorValues = ramp(n, -1f, 1f / n);
        float[] halfValues = ramp(h, 2f, -1f / h);
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("cell0.big", Tensor.ofFloats(new long[] {n}, donorValues));
        t.put("cell0.half", Tensor.ofBytes(DType.F16, new long[] {h}, f16(halfValues)));
        Path p = dir.resolve("chunks.safetensors");
        InitDistribution normal = new InitDistribution.Normal(0.1, 0.02);
        InitDistribution uniform = new InitDistribution.Uniform(-0.5, 0.5);
        checkpoint(p, new Genome(Map.of("cell0", "conv3x3", "cell1", "skip")),
                Map.of("cell0.big", normal, "cell0.half", uniform), t);
        Path out = dir.resolve("chunks-out.safetensors");
        long seed = 99;
        ShrinkPerturb.mix(p, p, List.of("cell0"), Map.of(), 0.4, 0.1, seed, SPACE, out);
        Map<String, Tensor> child = Safetensors.readAll(out);

        float[] fresh = sequentialFresh(normal, FreshValues.tensorSeed(seed, "cell0.big"), n);
        float[] mixed = child.get("cell0.big").toFloats();
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(0.4f * donorValues[i] + 0.1f * fresh[i]) != Float.floatToIntBits(mixed[i])) {
                assertEquals(0.4f * donorValues[i] + 0.1f * fresh[i], mixed[i], 0f, "cell0.big[" + i + "]");
            }
        }
        float[] freshHalf = sequentialFresh(uniform, FreshValues.tensorSeed(seed, "cell0.half"), h);
        float[] donorHalf = Tensor.ofBytes(DType.F16, new long[] {h}, f16(halfValues)).toFloatsWidened();
        float[] half = child.get("cell0.half").toFloatsWidened();
        for (int i = 0; i < h; i++) {
            float expect = HalfFloats.f16ToFloat(HalfFloats.floatToF16(0.4f * donorHalf[i] + 0.1f * freshHalf[i]));
            assertEquals(expect, half[i], 0f, "cell0.half[" + i + "]");
        }
    }

    /** The definition of fresh values: block by block, each from its own seed, on one thread. */
    private static float[] sequentialFresh(InitDistribution dist, long tensorSeed, int n) {
        float[] all = new float[n];
        float[] block = new float[FreshValues.BLOCK];
        for (int first = 0; first < n; first += FreshValues.BLOCK) {
            int count = Math.min(FreshValues.BLOCK, n - first);
            FreshValues.fill(dist, tensorSeed, first, block, count);
            System.arraycopy(block, 0, all, first, count);
        }
        return all;
    }

    @Test
    void copiedTensorsKeepTheirParentOffsetModuloTheCopyAlignment() throws Exception {
        // The parent's big tensor follows a swapped one, so it moves in the child; the child's header
        // is padded so that it still sits at its parent offset modulo 64 KiB (cheaper kernel copies).
        int n = 100_000; // 400 KB: the copy crosses several 64 KiB boundaries, starting off one
        LinkedHashMap<String, Tensor> pt = new LinkedHashMap<>();
        pt.put("cell0.conv.weight", Tensor.ofFloats(new long[] {1000}, ramp(1000, 0, 1)));
        pt.put("stem.weight", Tensor.ofFloats(new long[] {n}, ramp(n, -5, 0.001f)));
        Path parent = dir.resolve("aligned-parent.safetensors");
        checkpoint(parent, new Genome(Map.of("cell0", "conv3x3", "cell1", "skip")),
                Map.of("cell0.conv.weight", new InitDistribution.Normal(0, 1)), pt);
        LinkedHashMap<String, Tensor> dt = new LinkedHashMap<>();
        dt.put("cell0.conv.weight", Tensor.ofFloats(new long[] {7}, ramp(7, 1, 1)));
        Path donor = dir.resolve("aligned-donor.safetensors");
        checkpoint(donor, new Genome(Map.of("cell0", "conv5x5", "cell1", "skip")),
                Map.of("cell0.conv.weight", new InitDistribution.Normal(0, 1)), dt);
        Path out = dir.resolve("aligned-child.safetensors");
        ShrinkPerturb.mix(parent, donor, List.of("cell0"), Map.of(), 0.4, 0.1, 3, SPACE, out);
        try (SafetensorsReader p = SafetensorsReader.open(parent); SafetensorsReader c = SafetensorsReader.open(out)) {
            long inParent = p.dataStart() + p.info("stem.weight").begin();
            long inChild = c.dataStart() + c.info("stem.weight").begin();
            assertEquals(inParent % DataAlignment.MODULUS, inChild % DataAlignment.MODULUS, "stem.weight offset");
            assertEquals(0, c.dataStart() % 8, "data stays 8-byte aligned");
            assertEquals(p.read("stem.weight"), c.read("stem.weight"), "copied bit-exactly");
        }
    }

    /** A file source that records where each read starts and ends, in the order they happen. */
    static final class RecordingSource implements ByteSource {
        final FileSource file;
        final List<long[]> reads = new ArrayList<>();

        RecordingSource(Path path) throws IOException {
            this.file = FileSource.open(path);
        }

        @Override
        public String name() {
            return file.name();
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void readFully(ByteBuffer dst, long position) throws IOException {
            record(position, dst.remaining());
            file.readFully(dst, position);
        }

        @Override
        public void transferTo(long position, long count, WritableByteChannel out) throws IOException {
            record(position, count);
            file.transferTo(position, count, out);
        }

        private synchronized void record(long position, long count) {
            reads.add(new long[] {position, position + count});
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    @Test
    void theDonorIsReadInTheOrderAnnouncedWhileTheParentIsCopiedBetweenChunks() throws Exception {
        // A bucket source streams what was announced in order, with bounded memory: a read far
        // behind the others would wait on a stream that cannot go on. The donor's copied tensor
        // (cell0.n) lies between two computed ones; the parent's big tensor is copied in slices
        // between computed chunks, and must not delay it.
        int n = 1_500_000; // 6 MB each: many chunks
        LinkedHashMap<String, Tensor> pt = new LinkedHashMap<>();
        pt.put("stem.weight", Tensor.ofFloats(new long[] {2 * n}, ramp(2 * n, 0, 1e-6f)));
        pt.put("cell0.conv.weight", Tensor.ofFloats(new long[] {3}, ramp(3, 0, 1)));
        Path parent = dir.resolve("order-parent.safetensors");
        checkpoint(parent, new Genome(Map.of("cell0", "conv3x3", "cell1", "skip")), Map.of(), pt);
        LinkedHashMap<String, Tensor> dt = new LinkedHashMap<>();
        dt.put("cell0.a", Tensor.ofFloats(new long[] {n}, ramp(n, 1, 1e-6f)));
        dt.put("cell0.n", Tensor.ofLongs(new long[] {1}, new long[] {12}));
        dt.put("cell0.b", Tensor.ofFloats(new long[] {n}, ramp(n, -1, 1e-6f)));
        Path donor = dir.resolve("order-donor.safetensors");
        InitDistribution normal = new InitDistribution.Normal(0, 0.02);
        checkpoint(donor, new Genome(Map.of("cell0", "conv5x5", "cell1", "skip")),
                Map.of("cell0.a", normal, "cell0.b", normal), dt);
        RecordingSource d = new RecordingSource(donor);
        Path out = dir.resolve("order-child.safetensors");
        ShrinkPerturb.mix(FileSource.open(parent), d, List.of("cell0"), Map.of(), 0.4, 0.1, 5, SPACE, out);

        // Mixing threads read ahead of the writer by at most the pipeline's buffers (threads + 2
        // chunks), here read past cell0.n by up to that; one chunk more as a margin.
        long lag = (long) (Math.min(8, Runtime.getRuntime().availableProcessors()) + 3)
                * ShrinkPerturb.CHUNK_ELEMENTS * 4;
        long furthest = 0;
        for (long[] r : d.reads) {
            assertTrue(r[0] >= furthest - lag, "donor read at " + r[0] + " after one up to " + furthest);
            furthest = Math.max(furthest, r[1]);
        }
        Map<String, Tensor> child = Safetensors.readAll(out);
        assertArrayEquals(new long[] {12}, child.get("cell0.n").toLongs());
        assertEquals(Safetensors.readAll(parent).get("stem.weight"), child.get("stem.weight"));
    }

    @Test
    void copyExactlyAblationAndSelfMixKeepUntouchedBytes() throws Exception {
        Path parent = parent();
        Path out = dir.resolve("copy.safetensors");
        ShrinkPerturb.mix(parent, parent, List.of("cell0"), Map.of(), 1, 0, 9, SPACE, out);
        Map<String, Tensor> p = Safetensors.readAll(parent);
        Map<String, Tensor> c = Safetensors.readAll(out);
        assertEquals(p.get("cell0.conv.weight"), c.get("cell0.conv.weight"));
        assertArrayEquals(new float[6], c.get("optimizer/exp_avg/cell0.conv.weight").toFloats());
        assertEquals(p.get("stem.weight"), c.get("stem.weight"));

        Path resampled = dir.resolve("resampled.safetensors");
        ShrinkPerturb.mix(parent, parent, List.of(), Map.of("cell0", "conv5x5"), 0, 1, 9, SPACE, resampled);
        Map<String, Tensor> rs = Safetensors.readAll(resampled);
        assertFalse(rs.containsKey("cell0.conv.weight"), "a resampled gene's tensors are left for the trainer");
        assertFalse(rs.containsKey("optimizer/exp_avg/cell0.conv.weight"));
        assertEquals(p.get("cell1.skip.scale"), rs.get("cell1.skip.scale"));
        assertEquals("conv5x5", Genome.fromJson(Safetensors.readMetadata(resampled).get(CheckpointMetadata.GENOME))
                .get("cell0"));
    }

    @Test
    void badInputsFailClearlyAndLeaveNoFile() throws Exception {
        Path parent = parent();
        Path donor = donor();
        Path out = dir.resolve("out/child.safetensors");

        byte[] bytes = Files.readAllBytes(donor);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
        assertFails(parent, truncated, List.of("cell0"), out, "beyond the data section");

        Path badHeader = dir.resolve("bad-header.safetensors");
        byte[] broken = bytes.clone();
        broken[8] = '[';
        Files.write(badHeader, broken);
        assertFails(parent, badHeader, List.of("cell0"), out, "does not start with '{'");

        String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                StandardCharsets.UTF_8);
        Path wrongDtype = dir.resolve("wrong-dtype.safetensors");
        byte[] renamed = bytes.clone();
        int at = header.indexOf("\"F16\"") + 8;
        renamed[at + 1] = 'X';
        Files.write(wrongDtype, renamed);
        assertFails(parent, wrongDtype, List.of("cell1"), out, "unsupported safetensors dtype 'X16'");

        // Same option, different shape: the checkpoints come from different models.
        LinkedHashMap<String, Tensor> other = new LinkedHashMap<>();
        other.put("cell0.conv.weight", Tensor.ofFloats(new long[] {3, 2}, ramp(6, 0, 1)));
        Path conflicting = dir.resolve("conflict.safetensors");
        checkpoint(conflicting, new Genome(Map.of("cell0", "conv3x3", "cell1", "skip")),
                Map.of("cell0.conv.weight", new InitDistribution.Normal(0, 1)), other);
        assertFails(parent, conflicting, List.of("cell0"), out, "shape conflict for tensor 'cell0.conv.weight'");

        // A floating tensor with no recorded init distribution cannot get fresh weights.
        LinkedHashMap<String, Tensor> noInit = new LinkedHashMap<>();
        noInit.put("cell1.conv.weight", Tensor.ofFloats(new long[] {1}, new float[] {1}));
        Path missing = dir.resolve("no-init.safetensors");
        checkpoint(missing, new Genome(Map.of("cell0", "conv3x3", "cell1", "conv5x5")), Map.of(), noInit);
        assertFails(parent, missing, List.of("cell1"), out, "tensor 'cell1.conv.weight': no init distribution");

        assertFails(parent, donor, List.of("cell9"), out, "swapped gene 'cell9' is not in the search space");
        assertFalse(Files.exists(out));
        if (Files.exists(out.getParent())) {
            try (var files = Files.list(out.getParent())) {
                assertEquals(List.of(), files.toList(), "no temporary file left behind");
            }
        }
    }

    private void assertFails(Path parent, Path donor, List<String> genes, Path out, String expected) {
        Exception e = assertThrows(Exception.class,
                () -> ShrinkPerturb.mix(parent, donor, genes, Map.of(), 0.4, 0.1, 1, SPACE, out));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(Files.exists(out), "no output after: " + e.getMessage());
    }

    static byte[] bf16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(HalfFloats.floatToBf16(f));
        }
        return b.array();
    }

    static byte[] f16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(HalfFloats.floatToF16(f));
        }
        return b.array();
    }
}
