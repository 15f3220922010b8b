package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.List;

/** Depthwise 3x3 convolution, pointwise 1x1 convolution, BatchNorm, ReLU (channels in = out). */
record SepConvBnRelu(String prefix, int channels) implements Layer {

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>();
        p.add(new ParamSpec(prefix + "depthwise.weight", new long[] {channels, 1, 3, 3}, Inits.kaimingNormal(9), true));
        p.add(new ParamSpec(prefix + "pointwise.weight", new long[] {channels, channels, 1, 1},
                Inits.kaimingNormal(channels), true));
        p.addAll(BatchNorm2d.params(prefix + "bn.", channels));
        return p;
    }

    @Override
    public NDArray forward(NDArray x, Weights w, boolean training) {
        Shape one = new Shape(1, 1);
        NDArray d = Conv2d.conv2d(x, w.get(prefix + "depthwise.weight"), null, one, one, one, channels).head();
        NDArray p = Temporaries.freeInInference(d,
                Conv2d.conv2d(d, w.get(prefix + "pointwise.weight"), null, one, new Shape(0, 0), one, 1).head(),
                training);
        NDArray bn = Temporaries.freeInInference(p, BatchNorm2d.apply(p, w, prefix + "bn.", training), training);
        return Temporaries.freeInInference(bn, Activation.relu(bn), training);
    }
}
