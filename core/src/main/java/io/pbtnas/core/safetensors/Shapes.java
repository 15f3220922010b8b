package io.pbtnas.core.safetensors;

import java.util.Arrays;

/** Element counts with overflow checks, shared by the records that carry a shape. */
final class Shapes {
    private Shapes() {
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static long byteLength(DType dtype, long[] shape) {
        return Math.multiplyExact(elementCount(shape), (long) dtype.size());
    }
}
