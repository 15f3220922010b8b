package io.pbtnas.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.pbtnas.trainer.data.Batches;
import io.pbtnas.trainer.data.ImageSet;
import io.pbtnas.trainer.model.Network;

/** Inference-mode evaluation: BatchNorm uses its running statistics, no gradients are recorded. */
public final class Evaluator {
    private Evaluator() {
    }

    public static Evaluation evaluate(Network network, ImageSet set, int batchSize) {
        int[] order = Batches.identity(set.size());
        long correct = 0;
        double lossSum = 0;
        NDManager manager = network.manager();
        BatchInput input = new BatchInput();
        for (int b = 0; b < Batches.count(set.size(), batchSize); b++) {
            try (NDScope ignored = new NDScope()) {
                int[] labels = Batches.labels(set, order, batchSize, b);
                NDArray x = input.images(manager, Batches.images(set, order, batchSize, b),
                        new Shape(labels.length, 1, set.rows(), set.cols()));
                NDArray y = input.labels(manager, labels);
                NDArray logits = network.forward(x, false);
                lossSum += CrossEntropy.mean(logits, y).getFloat() * (double) labels.length;
                correct += logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).eq(y)
                        .sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
            }
        }
        int n = set.size();
        return new Evaluation(n == 0 ? 0 : (double) correct / n, n == 0 ? 0 : lossSum / n, n);
    }

    /** Logits for the first {@code count} images of a set, in order (tests compare these exactly). */
    public static float[] logits(Network network, ImageSet set, int count) {
        try (NDScope ignored = new NDScope()) {
            int[] order = Batches.identity(count);
            NDArray x = network.manager().create(Batches.images(set, order, count, 0),
                    new Shape(count, 1, set.rows(), set.cols()));
            return network.forward(x, false).toFloatArray();
        }
    }
}
