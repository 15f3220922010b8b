package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.List;

/** Convolution (no bias: BatchNorm follows), BatchNorm, ReLU. Tensors: {@code <prefix>conv.weight, <prefix>bn.*}. */
record ConvBnRelu(String prefix, int in, int out, int kernel, int stride, int dilation) implements Layer {

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>();
        p.add(new ParamSpec(prefix + "conv.weight", new long[] {out, in, kernel, kernel},
                Inits.kaimingNormal((long) in * kernel * kernel), true));
        p.addAll(BatchNorm2d.params(prefix + "bn.", out));
        return p;
    }

    @Override
    public NDArray forward(NDArray x, Weights w, boolean training) {
        int pad = dilation * (kernel - 1) / 2;
        NDArray y = Conv2d.conv2d(x, w.get(prefix + "conv.weight"), null, new Shape(stride, stride),
                new Shape(pad, pad), new Shape(dilation, dilation), 1).head();
        NDArray bn = Temporaries.freeInInference(y, BatchNorm2d.apply(y, w, prefix + "bn.", training), training);
        return Temporaries.freeInInference(bn, Activation.relu(bn), training);
    }
}
