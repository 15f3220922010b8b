package io.pbtnas.trainer.model;

import io.pbtnas.core.checkpoint.InitDistribution;

/** The init distributions the built-in layers use (PyTorch's conventions where they exist). */
final class Inits {
    private Inits() {
    }

    /** He (Kaiming) normal for a convolution followed by ReLU: std = sqrt(2 / fan_in). */
    static InitDistribution kaimingNormal(long fanIn) {
        return new InitDistribution.Normal(0, Math.sqrt(2.0 / fanIn));
    }

    /** PyTorch's nn.Linear default: uniform(±1/sqrt(fan_in)) for weight and bias. */
    static InitDistribution linearUniform(long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return new InitDistribution.Uniform(-bound, bound);
    }

    static InitDistribution constant(double v) {
        return new InitDistribution.Constant(v);
    }
}
