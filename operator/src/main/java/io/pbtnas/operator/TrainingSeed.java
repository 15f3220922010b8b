package io.pbtnas.operator;

/** The trainer's seed (0..2^31-1) for one member and generation: fixed by the search seed, so reruns agree. */
public final class TrainingSeed {
    private TrainingSeed() {}

    public static long of(long searchSeed, int member, int generation) {
        // SplitMix64 finaliser over a simple combination: distinct, well-spread seeds per (m, g).
        long z = searchSeed * 0x9E3779B97F4A7C15L + member * 0xBF58476D1CE4E5B9L + generation * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        // Non-negative 31-bit: trainers may parse PBTNAS_SEED as a 32-bit int (the DJL trainer does).
        return (z ^ (z >>> 31)) & Integer.MAX_VALUE;
    }
}
