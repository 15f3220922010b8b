package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * Frees an intermediate activation as soon as the next op has consumed it, in inference only, so that the
 * next activation reuses memory still in cache (as in Network.forward). In training autograd keeps
 * what the backward pass needs, and the scope of the step frees the rest; nothing changes there.
 */
final class Temporaries {
    private Temporaries() {
    }

    static NDArray freeInInference(NDArray consumed, NDArray result, boolean training) {
        if (!training && consumed != result) {
            consumed.close();
        }
        return result;
    }
}
