package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.List;

/** Global average pooling then a linear layer to class logits. Tensors {@code <prefix>fc.weight/bias}. */
record Classifier(String prefix, int in, int classes) implements Layer {

    @Override
    public List<ParamSpec> params() {
        return List.of(
                new ParamSpec(prefix + "fc.weight", new long[] {classes, in}, Inits.linearUniform(in), true),
                new ParamSpec(prefix + "fc.bias", new long[] {classes}, Inits.linearUniform(in), true));
    }

    @Override
    public NDArray forward(NDArray x, Weights w, boolean training) {
        Shape s = x.getShape();
        NDArray pooled = x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        return Linear.linear(pooled, w.get(prefix + "fc.weight"), w.get(prefix + "fc.bias")).head();
    }
}
