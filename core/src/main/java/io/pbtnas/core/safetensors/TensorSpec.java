package io.pbtnas.core.safetensors;

import java.util.Arrays;
import java.util.Objects;

/** A tensor to be written: name, dtype and shape; the writer assigns the offsets. */
public record TensorSpec(String name, DType dtype, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        Shapes.byteLength(dtype, shape); // rejects negative dims and overflow early
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    public long byteLength() {
        return Shapes.byteLength(dtype, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype.code() + Arrays.toString(shape);
    }
}
