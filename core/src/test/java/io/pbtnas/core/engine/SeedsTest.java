package io.pbtnas.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void trainerSeedsAreNonNegative31BitDistinctAndStable() {
        Set<Long> seen = new HashSet<>();
        for (long searchSeed : new long[] {0, 7, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            for (int m = 0; m < 32; m++) {
                for (int g = 0; g < 16; g++) {
                    long s = Seeds.trainerSeed(searchSeed, m, g);
                    assertTrue(s >= 0 && s <= Integer.MAX_VALUE, "seed " + s + " does not fit a non-negative int");
                    assertEquals(s, Seeds.trainerSeed(searchSeed, m, g), "not a pure function");
                    seen.add(s);
                }
            }
        }
        // 2560 draws from 2^31 values: a collision is possible but very unlikely (p ≈ 0.002).
        assertTrue(seen.size() >= 2559, "only " + seen.size() + " distinct seeds of 2560");
        // Member and generation are not interchangeable.
        assertNotEquals(Seeds.trainerSeed(7, 1, 2), Seeds.trainerSeed(7, 2, 1));
        // Derived with Seeds.derive under its own purpose, so it never equals a genome or selection stream's seed.
        assertEquals(Seeds.derive(7, Seeds.TRAINER, 2, 1) & Integer.MAX_VALUE, Seeds.trainerSeed(7, 1, 2));
    }
}
