package io.pbtnas.trainer.train;

import ai.djl.ndarray.NDArray;

/** Mean softmax cross-entropy of logits [batch, classes] against integer labels [batch]. */
final class CrossEntropy {
    private CrossEntropy() {
    }

    static NDArray mean(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        return logits.logSoftmax(1).mul(labels.oneHot((int) classes)).sum(new int[] {1}).neg().mean();
    }
}
