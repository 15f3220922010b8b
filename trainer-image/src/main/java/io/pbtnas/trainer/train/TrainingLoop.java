package io.pbtnas.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.pbtnas.trainer.TrainingFailedException;
import io.pbtnas.trainer.data.Batches;
import io.pbtnas.trainer.data.ImageSet;
import io.pbtnas.trainer.model.Network;

/** Mini-batch training; the batch order depends only on (seed, epoch), so any epoch can be resumed. */
public final class TrainingLoop {
    private final Network network;
    private final Adam adam;
    private final int batchSize;
    private final int progressEvery;

    public TrainingLoop(Network network, Adam adam, int batchSize, int progressEvery) {
        this.network = network;
        this.adam = adam;
        this.batchSize = batchSize;
        this.progressEvery = progressEvery;
    }

    public EpochResult epoch(ImageSet set, long seed, int epoch, ProgressListener progress) {
        return run(set, Batches.epochOrder(set.size(), seed, epoch), epoch, Integer.MAX_VALUE, progress);
    }

    /** At most {@code maxBatches} batches of the epoch's order (tests and benchmarks). */
    public EpochResult run(ImageSet set, int[] order, int epoch, int maxBatches, ProgressListener progress) {
        long start = System.nanoTime();
        int batches = Math.min(maxBatches, Batches.count(order.length, batchSize));
        double lossSum = 0;
        long correct = 0;
        int images = 0;
        BatchInput input = new BatchInput();
        for (int b = 0; b < batches; b++) {
            int[] labels = Batches.labels(set, order, batchSize, b);
            float loss;
            try (NDScope ignored = new NDScope()) {
                NDArray x = input.images(network.manager(), Batches.images(set, order, batchSize, b),
                        new Shape(labels.length, 1, set.rows(), set.cols()));
                NDArray y = input.labels(network.manager(), labels);
                NDArray logits;
                NDArray lossArray;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    logits = network.forward(x, true);
                    lossArray = CrossEntropy.mean(logits, y);
                    collector.backward(lossArray);
                }
                loss = lossArray.getFloat();
                correct += logits.argMax(1).toType(DataType.INT32, false).eq(y).sum()
                        .toType(DataType.INT64, false).getLong();
            }
            if (!Float.isFinite(loss)) {
                throw new TrainingFailedException("training diverged: loss is " + loss + " at epoch " + epoch
                        + ", batch " + b + "; lower taskArgs.learningRate");
            }
            adam.step(network);
            lossSum += loss * (double) labels.length;
            images += labels.length;
            if ((b + 1) % progressEvery == 0 || b == batches - 1) {
                progress.onBatch(epoch, b + 1, batches, loss);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochResult(epoch, images == 0 ? 0 : lossSum / images, images == 0 ? 0 : (double) correct / images,
                images, seconds);
    }
}
