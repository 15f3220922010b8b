package io.pbtnas.trainer.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The operations a position of the built-in network can take; the gene option strings are {@link #id()}. */
public enum Op {
    CONV3X3("conv3x3", "3x3 convolution, BatchNorm, ReLU"),
    CONV5X5("conv5x5", "5x5 convolution, BatchNorm, ReLU"),
    SEPCONV3X3("sepconv3x3", "depthwise 3x3 then pointwise 1x1 convolution, BatchNorm, ReLU"),
    DILCONV3X3("dilconv3x3", "3x3 convolution with dilation 2, BatchNorm, ReLU"),
    MAXPOOL("maxpool", "3x3 max-pool (stride 1), 1x1 convolution, BatchNorm, ReLU"),
    SKIP("skip", "identity; no tensors");

    private final String id;
    private final String description;

    Op(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public static Optional<Op> byId(String id) {
        return Arrays.stream(values()).filter(o -> o.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Op::id).toList();
    }
}
