package io.pbtnas.trainer.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** One stage of the forward pass: the tensors it owns and how it maps its input. */
public interface Layer {
    List<ParamSpec> params();

    NDArray forward(NDArray x, Weights w, boolean training);
}
