package io.pbtnas.core.mix;

import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.engine.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The "fresh" initialisation of a tensor, reproducible from (plan seed, tensor name): elements are
 * drawn in blocks of {@link #BLOCK}, each block from its own generator seeded by (tensor seed,
 * block index), so any chunk can be produced alone, in any order, by any thread. Float values come
 * from SplitMix64 (normal: {@link GaussianZiggurat}; uniform: 24-bit grid); double values (F64
 * tensors) from {@link SplittableRandom}.
 */
public final class FreshValues {
    public static final int BLOCK = 1 << 16;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private FreshValues() {
    }

    public static long tensorSeed(long planSeed, String tensorName) {
        return Seeds.derive(planSeed, tensorName);
    }

    /**
     * Elements [first, first + count) of the tensor's fresh values, as float; first must be
     * block-aligned. Blocks are independent, so they are drawn in parallel; the result does not
     * depend on the number of threads.
     */
    public static void fill(InitDistribution dist, long tensorSeed, long first, float[] out, int count) {
        requireAligned(first);
        BlockSampler sampler = sampler(dist);
        int blocks = (count + BLOCK - 1) / BLOCK;
        IntStream range = IntStream.range(0, blocks);
        (blocks > 1 ? range.parallel() : range).forEach(b -> sampler.fill(blockSeed(tensorSeed, first / BLOCK + b),
                out, b * BLOCK, Math.min(count, (b + 1) * BLOCK)));
    }

    /** The seed of the generator for one block of a tensor's fresh values. */
    static long blockSeed(long tensorSeed, long blockIndex) {
        return Seeds.derive(tensorSeed, blockIndex);
    }

    /** Draws blocks of one distribution's values as float; prepared once, used from any thread. */
    @FunctionalInterface
    interface BlockSampler {
        void fill(long blockSeed, float[] out, int start, int end);
    }

    static BlockSampler sampler(InitDistribution dist) {
        if (dist instanceof InitDistribution.Normal n) {
            return new GaussianZiggurat((float) n.mean(), (float) n.std())::fill;
        }
        if (dist instanceof InitDistribution.Uniform u) {
            float low = (float) u.low();
            float width = (float) (u.high() - u.low());
            return (seed, out, start, end) -> uniform(seed, out, start, end, low, width);
        }
        if (dist instanceof InitDistribution.Constant c) {
            float value = (float) c.value();
            return (seed, out, start, end) -> Arrays.fill(out, start, end, value);
        }
        throw new IllegalArgumentException("no sampler for init distribution " + dist);
    }

    /** low + width·u, u uniform on the 2^-24 grid of [0, 1): two draws per SplitMix64 output. */
    private static void uniform(long seed, float[] out, int start, int end, float low, float width) {
        long s = seed;
        for (int i = start; i < end; i += 2) {
            s += GOLDEN;
            long bits = Seeds.mix64(s);
            out[i] = low + width * (((int) bits >>> 8) * 0x1.0p-24f);
            if (i + 1 < end) {
                out[i + 1] = low + width * ((bits >>> 40) * 0x1.0p-24f);
            }
        }
    }

    /** As {@link #fill(InitDistribution, long, long, float[], int)} in double precision (for F64 tensors). */
    public static void fill(InitDistribution dist, long tensorSeed, long first, double[] out, int count) {
        requireAligned(first);
        for (int start = 0; start < count; start += BLOCK) {
            fillBlock(dist, blockSeed(tensorSeed, (first + start) / BLOCK), out, start, Math.min(count, start + BLOCK));
        }
    }

    /** One block's values (or a prefix of them) into out[start, end), in double precision. */
    static void fillBlock(InitDistribution dist, long blockSeed, double[] out, int start, int end) {
        SplittableRandom rng = new SplittableRandom(blockSeed);
        for (int i = start; i < end; i++) {
            out[i] = dist.sample(rng);
        }
    }

    private static void requireAligned(long first) {
        if (first % BLOCK != 0) {
            throw new IllegalArgumentException("fresh values start at a block boundary (multiple of " + BLOCK
                    + "), got element " + first);
        }
    }
}
