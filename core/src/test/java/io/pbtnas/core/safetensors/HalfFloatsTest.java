package io.pbtnas.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
                continue;
            }
            assertEquals(bits, HalfFloats.floatToF16(f) & 0xffff, "f16 bits " + Integer.toHexString(bits));
        }
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 1));
    }

    @Test
    void narrowingPicksTheNearestHalfAndBfloat() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (rng.nextGaussian() * Math.pow(2, rng.nextInt(-26, 17)));
            short h = HalfFloats.floatToF16(f);
            if (Math.abs(f) < 65504f) { // beyond the largest half, IEEE rounds to infinity
                assertNearest(f, HalfFloats.f16ToFloat(h), HalfFloats.f16ToFloat((short) (h + 1)),
                        HalfFloats.f16ToFloat((short) (h - 1)), "f16");
            }
            short b = HalfFloats.floatToBf16(f);
            assertNearest(f, HalfFloats.bf16ToFloat(b), HalfFloats.bf16ToFloat((short) (b + 1)),
                    HalfFloats.bf16ToFloat((short) (b - 1)), "bf16");
        }
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e6f)));
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))));
    }

    private static void assertNearest(float f, float got, float up, float down, String what) {
        double err = Math.abs((double) got - f);
        if (!Float.isNaN(up) && !Float.isInfinite(up)) {
            assertTrue(err <= Math.abs((double) up - f), what + " of " + f + " -> " + got + " but " + up + " is nearer");
        }
        if (!Float.isNaN(down) && !Float.isInfinite(down)) {
            assertTrue(err <= Math.abs((double) down - f), what + " of " + f + " -> " + got + " but " + down + " is nearer");
        }
    }
}
