package io.pbtnas.core.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One header entry of a safetensors file. {@code begin}/{@code end} are byte offsets
 * relative to the start of the data section (after the header).
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    public long byteLength() {
        return end - begin;
    }

    /** The layout part of this entry, for writing a file with the same tensor. */
    public TensorSpec spec() {
        return new TensorSpec(name, dtype, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype.code() + Arrays.toString(shape) + " @[" + begin + "," + end + ")";
    }
}
