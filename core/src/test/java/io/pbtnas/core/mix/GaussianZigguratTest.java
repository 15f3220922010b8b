package io.pbtnas.core.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianZigguratTest {
    static double f(double x) {
        return Math.exp(-0.5 * x * x);
    }

    @Test
    void layersHaveEqualAreaAndCloseAtTheTop() {
        double[] x = GaussianZiggurat.X;
        int n = GaussianZiggurat.LAYERS;
        // V is the base layer's area: rectangle R·f(R) plus the tail ∫_R^∞ f (Simpson's rule).
        double r = GaussianZiggurat.R;
        int steps = 200_000;
        double h = 30.0 / steps;
        double tail = f(r) + f(r + 30);
        for (int i = 1; i < steps; i++) {
            tail += (i % 2 == 1 ? 4 : 2) * f(r + i * h);
        }
        tail *= h / 3;
        assertEquals(GaussianZiggurat.V, r * f(r) + tail, 1e-15, "layer area V matches R");
        // Stacking layers of area V from R upwards reaches f = 1 exactly at the last one.
        assertEquals(1.0, f(x[n - 1]) + GaussianZiggurat.V / x[n - 1], 1e-12, "the top layer closes at f(0)");
        for (int i = 1; i < n; i++) {
            assertTrue(x[i] < x[i - 1], "layer edges decrease");
            if (i < n - 1) {
                assertEquals(GaussianZiggurat.V, x[i] * (f(x[i + 1]) - f(x[i])), 1e-15, "area of layer " + i);
            }
        }
        assertEquals(0.0, x[n]);
    }

    @Test
    void drawsAreStandardNormalIncludingWedgesAndTail() {
        int n = 1 << 22;
        float[] z = new float[n];
        GaussianZiggurat standard = new GaussianZiggurat(0f, 1f);
        for (int b = 0; b < n / FreshValues.BLOCK; b++) { // block by block, as the mixer draws them
            standard.fill(1000 + b, z, b * FreshValues.BLOCK, (b + 1) * FreshValues.BLOCK);
        }
        double sum = 0;
        double sq = 0;
        double fourth = 0;
        for (float v : z) {
            sum += v;
            sq += (double) v * v;
            fourth += (double) v * v * v * v;
        }
        // Moments within 6 standard errors: E z = 0 (se 1/√n), E z² = 1 (√(2/n)), E z⁴ = 3 (√(96/n)).
        assertEquals(0, sum / n, 6 / Math.sqrt(n), "mean");
        assertEquals(1, sq / n, 6 * Math.sqrt(2.0 / n), "variance");
        assertEquals(3, fourth / n, 6 * Math.sqrt(96.0 / n), "fourth moment");
        // Two-sided tail fractions, through the wedges (|z| ≈ 1, 2) and beyond R (the tail algorithm).
        double[] at = {0.5, 1, 2, 3, GaussianZiggurat.R};
        double[] expected = {0.6170750774519738, 0.31731050786291415, 0.04550026389635844, 0.0026997960632601913,
                5.3713934606855156e-05}; // erfc(t/√2)
        long[] beyond = new long[at.length];
        for (float v : z) {
            for (int k = 0; k < at.length; k++) {
                beyond[k] += Math.abs(v) > at[k] ? 1 : 0;
            }
        }
        for (int k = 0; k < at.length; k++) {
            double p = expected[k];
            assertEquals(p, beyond[k] / (double) n, 6 * Math.sqrt(p * (1 - p) / n), "P(|z| > " + at[k] + ")");
        }
    }

    @Test
    void shorterRangesArePrefixesAndTheOffsetDoesNotMatter() {
        GaussianZiggurat sampler = new GaussianZiggurat(0.5f, 2f);
        float[] full = new float[1000];
        sampler.fill(42, full, 0, full.length);
        for (int m : new int[] {1, 2, 31, 32, 33, 64, 999}) {
            float[] part = new float[m + 7];
            sampler.fill(42, part, 7, 7 + m);
            assertArrayEquals(Arrays.copyOf(full, m), Arrays.copyOfRange(part, 7, 7 + m), "prefix of length " + m);
        }
        float[] other = new float[1000];
        sampler.fill(43, other, 0, other.length);
        assertNotEquals(Arrays.toString(full), Arrays.toString(other), "another seed, other values");
    }

    @Test
    void theStreamIsPinned() {
        // A checksum of 40 blocks' values (odd lengths and offsets included) as the first version,
        // which drew one candidate at a time, produced them: a faster fill must give the same bits,
        // or the same plan would mix a different child after an upgrade.
        GaussianZiggurat sampler = new GaussianZiggurat(0.25f, 3f);
        long h = 17;
        float[] out = new float[FreshValues.BLOCK + 100];
        for (int b = 0; b < 40; b++) {
            int from = b % 3 * 50;
            int to = from + FreshValues.BLOCK - b * 997;
            sampler.fill(1000L * b - 7, out, from, to);
            for (int i = from; i < to; i++) {
                h = h * 31 + Float.floatToRawIntBits(out[i]);
            }
        }
        assertEquals(0xceca24f8a094ccfcL, h);
    }
}
