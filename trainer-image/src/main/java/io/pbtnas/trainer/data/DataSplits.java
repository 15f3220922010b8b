package io.pbtnas.trainer.data;

/** Training images, the validation split held out of the training file, and the test set. */
public record DataSplits(ImageSet train, ImageSet validation, ImageSet test) {
}
