package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.DType;
import io.pbtnas.core.safetensors.HalfFloats;
import io.pbtnas.core.safetensors.SafetensorsReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * Computes one chunk of {@code shrink·donor + perturb·fresh} into a byte buffer: reads the donor's
 * bytes, decodes, draws the fresh values, combines and encodes, all within one chunk so that it
 * stays in the core's cache. One per thread (its scratch arrays are reused between chunks).
 */
final class ChunkMixer {
    private final SafetensorsReader donor;
    private final double shrink;
    private final double perturb;
    private final float[] values;
    private final float[] fresh;
    private double[] valuesD;
    private double[] freshD;

    ChunkMixer(SafetensorsReader donor, double shrink, double perturb, int chunkElements) {
        this.donor = donor;
        this.shrink = shrink;
        this.perturb = perturb;
        this.values = new float[chunkElements];
        this.fresh = new float[chunkElements];
    }

    /**
     * Elements [first, first + count) of the mixed tensor into {@code out} (position 0, limit
     * count·size on return): one fresh-value block, or the start of one.
     */
    void mix(TensorMix t, FreshValues.BlockSampler sampler, long first, int count, ByteBuffer out)
            throws IOException {
        DType dt = t.tensor().dtype();
        int size = dt.size();
        if (first % FreshValues.BLOCK != 0 || count > Math.min(FreshValues.BLOCK, values.length)) {
            throw new IllegalArgumentException("chunk [" + first + ", " + (first + count) + ") of "
                    + t.tensor().name() + " is not one fresh-value block");
        }
        out.clear().limit(count * size);
        if (shrink != 0) {
            donor.readChunk(t.tensor(), first * size, out);
            out.flip();
        }
        long seed = FreshValues.blockSeed(t.freshSeed(), first / FreshValues.BLOCK);
        if (dt == DType.F64) {
            mixDoubles(t, seed, count, out.asDoubleBuffer());
            return;
        }
        if (shrink != 0) {
            decode(dt, out, count);
        }
        if (perturb != 0) {
            sampler.fill(seed, fresh, 0, count);
        }
        combine((float) shrink, (float) perturb, count);
        encode(dt, out, count);
    }

    // Plain array loops the JIT compiles tightly; the three forms keep the ablations exact.
    private void combine(float shrink, float perturb, int n) {
        if (shrink == 0) {
            for (int i = 0; i < n; i++) {
                values[i] = perturb * fresh[i];
            }
        } else if (perturb == 0) {
            for (int i = 0; i < n; i++) {
                values[i] = shrink * values[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                values[i] = shrink * values[i] + perturb * fresh[i];
            }
        }
    }

    private void decode(DType dt, ByteBuffer bytes, int n) {
        switch (dt) {
            case F32 -> bytes.asFloatBuffer().get(values, 0, n); // a bulk copy: same byte order
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = HalfFloats.f16ToFloat(bytes.getShort(2 * i));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    values[i] = HalfFloats.bf16ToFloat(bytes.getShort(2 * i));
                }
            }
        }
    }

    private void encode(DType dt, ByteBuffer bytes, int n) {
        switch (dt) {
            case F32 -> bytes.asFloatBuffer().put(values, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    bytes.putShort(2 * i, HalfFloats.floatToF16(values[i]));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    bytes.putShort(2 * i, HalfFloats.floatToBf16(values[i]));
                }
            }
        }
    }

    /** F64 tensors stay in double precision throughout. */
    private void mixDoubles(TensorMix t, long seed, int n, DoubleBuffer db) {
        if (valuesD == null) {
            valuesD = new double[values.length];
            freshD = new double[values.length];
        }
        if (shrink != 0) {
            db.get(valuesD, 0, n);
        }
        if (perturb != 0) {
            FreshValues.fillBlock(t.init(), seed, freshD, 0, n);
        }
        for (int i = 0; i < n; i++) {
            double d = valuesD[i];
            double f = freshD[i];
            valuesD[i] = shrink == 0 ? perturb * f : perturb == 0 ? shrink * d : shrink * d + perturb * f;
        }
        db.clear();
        db.put(valuesD, 0, n);
    }
}
