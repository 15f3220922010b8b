package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/** 3x3 max-pool (stride 1, same size), then a 1x1 ConvBnRelu so the op has weights to inherit. */
record PoolConvBnRelu(String prefix, int channels) implements Layer {

    private ConvBnRelu projection() {
        return new ConvBnRelu(prefix, channels, channels, 1, 1, 1);
    }

    @Override
    public List<ParamSpec> params() {
        return projection().params();
    }

    @Override
    public NDArray forward(NDArray x, Weights w, boolean training) {
        NDArray pooled = Pool.maxPool2d(x, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false);
        return projection().forward(pooled, w, training);
    }
}
