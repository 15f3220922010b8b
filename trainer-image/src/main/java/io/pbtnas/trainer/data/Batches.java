package io.pbtnas.trainer.data;

import io.pbtnas.trainer.model.SeedMixer;
import java.util.SplittableRandom;

/** Mini-batches as normalised float arrays, in an order that depends only on (seed, epoch). */
public final class Batches {
    private Batches() {
    }

    /** A permutation of [0, n) for one epoch: resuming at any epoch sees the same order. */
    public static int[] epochOrder(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(SeedMixer.derive(SeedMixer.derive(seed, "shuffle"), epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    public static int count(int n, int batchSize) {
        return (n + batchSize - 1) / batchSize;
    }

    /** The images of batch {@code b} ([size, 1, rows, cols] flattened), normalised with the data set's mean/std. */
    public static float[] images(ImageSet set, int[] order, int batchSize, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int ppi = set.pixelsPerImage();
        float[] out = new float[(to - from) * ppi];
        byte[] px = set.pixels();
        for (int i = from; i < to; i++) {
            int src = order[i] * ppi;
            int dst = (i - from) * ppi;
            for (int k = 0; k < ppi; k++) {
                out[dst + k] = ((px[src + k] & 0xff) / 255f - FashionMnist.MEAN) / FashionMnist.STD;
            }
        }
        return out;
    }

    public static int[] labels(ImageSet set, int[] order, int batchSize, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = set.label(order[i]);
        }
        return out;
    }

    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
