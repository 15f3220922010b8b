package io.pbtnas.trainer;

/** What a run does: train epochs then evaluate, or only evaluate a checkpoint. */
public enum Mode {
    TRAIN, EVALUATE
}
