package io.pbtnas.core.mix;

import io.pbtnas.core.engine.Seeds;
import java.util.SplittableRandom;

/**
 * Standard normal draws in float precision by the ziggurat method (Marsaglia and Tsang, 2000)
 * with 1024 layers of equal area under f(x) = exp(-x²/2). Each 64-bit SplitMix64 output is one
 * candidate: 10 bits pick the layer, 1 the sign, the top 31 the position across the layer. A
 * candidate inside its layer's inner rectangle (99.57% of them) is the answer at once; the rest
 * (wedges, and the tail beyond R) are settled exactly afterwards from a second stream. Exact up
 * to the 2^-31 position grid, finer than float precision.
 */
final class GaussianZiggurat {
    static final int LAYERS = 1024;
    /**
     * Where the base layer's rectangle ends and the tail begins: the R for which LAYERS layers of
     * area V(R) reach f = 1 exactly (solved offline by bisection; checked by the tests).
     */
    static final double R = 4.038849846109505;
    /** Area of each layer (for the base: its rectangle plus the tail), R·f(R) + ∫_R^∞ f. */
    static final double V = 0.0012263246463530852;

    private static final int POSITION_SHIFT = 33;
    private static final double GRID = 1L << (64 - POSITION_SHIFT);
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private static final long SETTLE_SALT = 0x5bd1e9955bd1e995L;
    /** Candidates per outside mask (one bit each). */
    private static final int GROUP = 32;
    /** Candidates drawn at once (a multiple of GROUP): 8 KiB, which stays in the core's L1 cache. */
    private static final int PASS = 1024;
    /** Each thread's candidates, reused from block to block (one array per block: 16 MiB of garbage a GiB). */
    private static final ThreadLocal<long[]> SCRATCH = ThreadLocal.withInitial(() -> new long[PASS]);

    /** Layer edges: X[0] = V/f(R) (the base layer's virtual width), X[1] = R, …, X[LAYERS] = 0. */
    static final double[] X = new double[LAYERS + 1];
    /** f(X[i]) = exp(-X[i]²/2), the layer boundaries' heights (F[0] = f(R): the base is flat). */
    private static final double[] F = new double[LAYERS + 1];
    /** Layer width per grid step, so x = position · WIDTH[layer] (as float: float precision suffices). */
    private static final float[] WIDTH = new float[LAYERS];
    /** Positions below INNER[layer] lie under the next layer's edge: accepted with no further test. */
    private static final int[] INNER = new int[LAYERS];

    static {
        double fR = Math.exp(-0.5 * R * R);
        X[0] = V / fR;
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = Math.sqrt(-2 * Math.log(Math.exp(-0.5 * X[i] * X[i]) + V / X[i]));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = Math.exp(-0.5 * X[i] * X[i]);
        }
        F[0] = fR;
        for (int i = 0; i < LAYERS; i++) {
            WIDTH[i] = (float) (X[i] / GRID);
            INNER[i] = (int) Math.min(Integer.MAX_VALUE, Math.ceil(X[i + 1] / X[i] * GRID));
        }
    }

    private final float mean;
    private final float std;
    /** std·WIDTH, indexed by (sign bit, layer): the hot loop's one table. */
    private final float[] width = new float[2 * LAYERS];

    /** A sampler of mean + std·z; immutable, so blocks may be drawn from it on any threads. */
    GaussianZiggurat(float mean, float std) {
        this.mean = mean;
        this.std = std;
        for (int k = 0; k < LAYERS; k++) {
            width[k] = std * WIDTH[k];
            width[k + LAYERS] = -width[k];
        }
    }

    /**
     * Fills out[from, to) with mean + std·z, z standard normal, from the stream seeded by
     * {@code seed}. A shorter range gets a prefix of a longer one's values.
     */
    void fill(long seed, float[] out, int from, int to) {
        float[] width = this.width;
        float mean = this.mean;
        long[] candidates = SCRATCH.get();
        SplittableRandom settle = null;
        // Candidates are drawn a pass at a time (see draw), then turned into values by a loop with
        // no data-dependent branch: it only notes, one bit per candidate, those outside their inner
        // rectangle, which are settled once their group is written.
        for (int start = from; start < to; start += PASS) {
            int n = Math.min(PASS, to - start);
            draw(seed + (start - from) * GOLDEN, candidates, n);
            for (int group = 0; group < n; group += GROUP) {
                int end = Math.min(n, group + GROUP);
                int mask = 0;
                for (int j = group; j < end; j++) {
                    long c = candidates[j];
                    int position = position(c);
                    out[start + j] = mean + position * width[(int) c & (2 * LAYERS - 1)];
                    mask |= ((position - INNER[(int) c & (LAYERS - 1)]) >>> 31 ^ 1) << (j - group);
                }
                if (mask != 0) {
                    settle = settle != null ? settle : new SplittableRandom(seed ^ SETTLE_SALT);
                    settle(mask, candidates, group, out, start + group, settle);
                }
            }
        }
    }

    /**
     * candidates[0, n): the SplitMix64 outputs after {@code state} (state + GOLDEN, + 2·GOLDEN, …
     * mixed), the same stream as drawing them one at a time. Two plain loops over an array, which
     * C2 compiles to vector instructions where one draw at a time stays scalar (about 0.5 ns a
     * candidate instead of 1 here).
     */
    private static void draw(long state, long[] candidates, int n) {
        for (int i = 0; i < n; i++) {
            candidates[i] = state + (i + 1) * GOLDEN;
        }
        for (int i = 0; i < n; i++) {
            candidates[i] = Seeds.mix64(candidates[i]);
        }
    }

    private static int position(long c) {
        return (int) (c >>> POSITION_SHIFT);
    }

    /** Replaces the marked candidates of a group (candidates[group…], out[at…]), in index order, by exact draws. */
    private void settle(int outside, long[] candidates, int group, float[] out, int at, SplittableRandom rng) {
        for (int left = outside; left != 0; left &= left - 1) {
            int j = Integer.numberOfTrailingZeros(left);
            long c = candidates[group + j];
            float z = magnitude(c, rng);
            out[at + j] = mean + std * ((c & LAYERS) == 0 ? z : -z);
        }
    }

    /**
     * |z| for a candidate: the wedge test, the tail beyond R for the base layer, and on rejection a
     * whole new candidate from {@code rng}. The sign stays the first candidate's, which is independent
     * of the magnitude, so the result is still exactly normal.
     */
    static float magnitude(long c, SplittableRandom rng) {
        while (true) {
            int layer = (int) c & (LAYERS - 1);
            int position = position(c);
            double x = position * (X[layer] / GRID);
            if (position < INNER[layer]) {
                return (float) x;
            }
            if (layer == 0) { // the tail beyond R (Marsaglia's method for a normal tail)
                double a;
                double b;
                do {
                    a = -Math.log(1 - rng.nextDouble()) / R;
                    b = -Math.log(1 - rng.nextDouble());
                } while (b + b < a * a);
                return (float) (R + a);
            }
            if (F[layer] + rng.nextDouble() * (F[layer + 1] - F[layer]) < Math.exp(-0.5 * x * x)) {
                return (float) x;
            }
            c = rng.nextLong();
        }
    }
}
