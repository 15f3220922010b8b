package io.pbtnas.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A whole tensor in memory (little-endian bytes), for small tensors. Large tensors are
 * streamed through {@link SafetensorsReader} and {@link SafetensorsWriter} instead.
 */
public record Tensor(DType dtype, long[] shape, ByteBuffer data) {

    public Tensor {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        long expected = Shapes.byteLength(dtype, shape);
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor " + dtype.code() + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view positioned at the first byte. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    public static Tensor ofFloats(long[] shape, float[] v) {
        ByteBuffer b = allocate(DType.F32, shape, v.length);
        b.asFloatBuffer().put(v);
        return new Tensor(DType.F32, shape, b);
    }

    public static Tensor ofDoubles(long[] shape, double[] v) {
        ByteBuffer b = allocate(DType.F64, shape, v.length);
        b.asDoubleBuffer().put(v);
        return new Tensor(DType.F64, shape, b);
    }

    public static Tensor ofLongs(long[] shape, long[] v) {
        ByteBuffer b = allocate(DType.I64, shape, v.length);
        b.asLongBuffer().put(v);
        return new Tensor(DType.I64, shape, b);
    }

    public static Tensor ofInts(long[] shape, int[] v) {
        ByteBuffer b = allocate(DType.I32, shape, v.length);
        b.asIntBuffer().put(v);
        return new Tensor(DType.I32, shape, b);
    }

    /** Raw little-endian bytes of any dtype (F16/BF16/U8 have no Java array type). */
    public static Tensor ofBytes(DType dtype, long[] shape, byte[] littleEndian) {
        return new Tensor(dtype, shape, ByteBuffer.wrap(littleEndian.clone()));
    }

    /** Zeros of the given dtype and shape (e.g. a reset optimizer state). */
    public static Tensor zeros(DType dtype, long[] shape) {
        return new Tensor(dtype, shape, ByteBuffer.allocate(Math.toIntExact(Shapes.byteLength(dtype, shape))));
    }

    public float[] toFloats() {
        require(DType.F32, "toFloats");
        float[] out = new float[Math.toIntExact(elementCount())];
        data().asFloatBuffer().get(out);
        return out;
    }

    public double[] toDoubles() {
        require(DType.F64, "toDoubles");
        double[] out = new double[Math.toIntExact(elementCount())];
        data().asDoubleBuffer().get(out);
        return out;
    }

    public long[] toLongs() {
        require(DType.I64, "toLongs");
        long[] out = new long[Math.toIntExact(elementCount())];
        data().asLongBuffer().get(out);
        return out;
    }

    public int[] toInts() {
        require(DType.I32, "toInts");
        int[] out = new int[Math.toIntExact(elementCount())];
        data().asIntBuffer().get(out);
        return out;
    }

    /** Every element widened to float, for F32, F16 and BF16 tensors. */
    public float[] toFloatsWidened() {
        int n = Math.toIntExact(elementCount());
        float[] out = new float[n];
        ByteBuffer b = data();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.f16ToFloat(b.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.bf16ToFloat(b.getShort(2 * i));
                }
            }
            default -> throw new IllegalStateException("toFloatsWidened needs F32, F16 or BF16, the tensor is "
                    + dtype.code());
        }
        return out;
    }

    public byte[] toBytes() {
        byte[] out = new byte[data.remaining()];
        data().get(out);
        return out;
    }

    private void require(DType wanted, String method) {
        if (dtype != wanted) {
            throw new IllegalStateException(method + "() needs a " + wanted.code() + " tensor, this one is "
                    + dtype.code() + Arrays.toString(shape));
        }
    }

    private static ByteBuffer allocate(DType dtype, long[] shape, int values) {
        long count = Shapes.elementCount(shape);
        if (count != values) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " elements, got " + values + " values");
        }
        return ByteBuffer.allocate(Math.toIntExact(Shapes.byteLength(dtype, shape))).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && data().equals(t.data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), data());
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype.code() + Arrays.toString(shape) + "]";
    }
}
