package io.pbtnas.trainer.train;

/** One training epoch: mean loss and accuracy over its batches (in training mode), images seen. */
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, int images, double seconds) {
}
