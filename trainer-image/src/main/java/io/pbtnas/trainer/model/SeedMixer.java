package io.pbtnas.trainer.model;

import java.nio.charset.StandardCharsets;

/** Derives independent 64-bit seeds from a run seed and a label, stable across JVMs and runs. */
public final class SeedMixer {
    private SeedMixer() {
    }

    public static long derive(long seed, String label) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the label's UTF-8 bytes
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return splitMix(seed ^ splitMix(h));
    }

    public static long derive(long seed, long value) {
        return splitMix(seed ^ splitMix(value + 0x632be59bd9b4e019L));
    }

    private static long splitMix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
