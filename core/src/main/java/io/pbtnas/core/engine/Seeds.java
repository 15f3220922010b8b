package io.pbtnas.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeds derived from (search seed, purpose, generation, slot) or (seed, name): every random choice
 * gets its own stream, so any decision can be recomputed alone, in any order, after a crash.
 */
public final class Seeds {
    public static final long GENOME = 1;
    public static final long SELECTION = 2;
    public static final long TRAINER = 3;
    /** Generation-0 hyperparameter draws, per member. */
    public static final long HPARAMS = 4;
    /** A child's exploration of its inherited hyperparameters, per (step the child starts, slot). */
    public static final long EXPLORE = 5;

    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective, well-mixing 64-bit hash. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long derive(long seed, long... parts) {
        long h = mix64(seed + GOLDEN);
        for (long p : parts) {
            h = mix64(h + GOLDEN ^ mix64(p + GOLDEN));
        }
        return h;
    }

    /** A seed for a named thing (a tensor), stable across JVMs: FNV-1a of the UTF-8 name, then mixed. */
    public static long derive(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return derive(seed, h);
    }

    /**
     * PBTNAS_SEED of the trainer of one member and generation, the same in the operator and the local
     * mode. Non-negative 31 bits: trainers in any language accept it (numpy needs &lt; 2^32, the DJL
     * trainer parses an int).
     */
    public static long trainerSeed(long searchSeed, int member, int generation) {
        return derive(searchSeed, TRAINER, generation, member) & Integer.MAX_VALUE;
    }

    public static SplittableRandom rng(long seed, long purpose, int generation, int slot) {
        return new SplittableRandom(derive(seed, purpose, generation, slot));
    }
}
