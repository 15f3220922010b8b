package io.pbtnas.trainer.train;

/** Accuracy and mean loss of a network on one split. */
public record Evaluation(double accuracy, double loss, int images) {
}
