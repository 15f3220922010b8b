package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * BatchNorm over channels with PyTorch's tensor names ({@code weight, bias, running_mean, running_var})
 * and momentum 0.1. In training mode PyTorch updates the running statistics in place.
 */
final class BatchNorm2d {
    static final float EPS = 1e-5f;
    /** DJL's momentum is PyTorch's 1 - momentum: 0.9 here is PyTorch's default 0.1. */
    private static final float DJL_MOMENTUM = 0.9f;

    private BatchNorm2d() {
    }

    static List<ParamSpec> params(String prefix, long channels) {
        long[] s = {channels};
        return List.of(
                new ParamSpec(prefix + "weight", s, Inits.constant(1), true),
                new ParamSpec(prefix + "bias", s, Inits.constant(0), true),
                new ParamSpec(prefix + "running_mean", s, Inits.constant(0), false),
                new ParamSpec(prefix + "running_var", s, Inits.constant(1), false));
    }

    static NDArray apply(NDArray x, Weights w, String prefix, boolean training) {
        return BatchNorm.batchNorm(x, w.get(prefix + "running_mean"), w.get(prefix + "running_var"),
                w.get(prefix + "weight"), w.get(prefix + "bias"), -1, DJL_MOMENTUM, EPS, training).head();
    }
}
