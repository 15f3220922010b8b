package io.pbtnas.core.mix;

import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.engine.Seeds;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The "fresh" initialisation of a tensor, reproducible from (plan seed, tensor name): elements are
 * drawn in blocks of {@link #BLOCK}, each block from its own generator seeded by (tensor seed,
 * block index), so any chunk can be produced alone, in any order, by any thread.
 */
public final class FreshValues {
    public static final int BLOCK = 1 << 16;

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
        int blocks = (count + BLOCK - 1) / BLOCK;
        IntStream range = IntStream.range(0, blocks);
        (blocks > 1 ? range.parallel() : range).forEach(b -> fillBlock(dist, tensorSeed, first, out, b * BLOCK,
                Math.min(count, (b + 1) * BLOCK)));
    }

    private static void fillBlock(InitDistribution dist, long tensorSeed, long first, float[] out, int start, int end) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(tensorSeed, (first + start) / BLOCK));
        if (dist instanceof InitDistribution.Normal n) { // the common case, kept monomorphic for speed
            double mean = n.mean();
            double std = n.std();
            for (int i = start; i < end; i++) {
                out[i] = (float) (mean + std * rng.nextGaussian());
            }
        } else {
            for (int i = start; i < end; i++) {
                out[i] = (float) dist.sample(rng);
            }
        }
    }

    /** As {@link #fill(InitDistribution, long, long, float[], int)} in double precision (for F64 tensors). */
    public static void fill(InitDistribution dist, long tensorSeed, long first, double[] out, int count) {
        requireAligned(first);
        for (int start = 0; start < count; start += BLOCK) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(tensorSeed, (first + start) / BLOCK));
            int end = Math.min(count, start + BLOCK);
            for (int i = start; i < end; i++) {
                out[i] = dist.sample(rng);
            }
        }
    }

    private static void requireAligned(long first) {
        if (first % BLOCK != 0) {
            throw new IllegalArgumentException("fresh values start at a block boundary (multiple of " + BLOCK
                    + "), got element " + first);
        }
    }
}
