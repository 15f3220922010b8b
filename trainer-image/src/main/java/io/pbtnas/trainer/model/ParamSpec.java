package io.pbtnas.trainer.model;

import io.pbtnas.core.checkpoint.InitDistribution;
import java.util.Arrays;

/**
 * One named tensor of the network: its shape, the distribution it is first drawn from, and whether
 * the optimizer trains it (BatchNorm running statistics are tensors the optimizer does not touch).
 */
public record ParamSpec(String name, long[] shape, InitDistribution init, boolean trainable) {

    public ParamSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && init.equals(p.init) && trainable == p.trainable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + init + (trainable ? "" : " (buffer)");
    }
}
