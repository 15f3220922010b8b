package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;

/** Looks up a network tensor by its checkpoint name. */
@FunctionalInterface
public interface Weights {
    NDArray get(String name);
}
