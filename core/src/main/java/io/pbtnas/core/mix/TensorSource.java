package io.pbtnas.core.mix;

import io.pbtnas.core.safetensors.TensorInfo;

/** Where one tensor of the child comes from. */
public record TensorSource(TensorInfo from, Kind kind) {
    public enum Kind {
        /** Bit-exact copy from the parent. */
        PARENT,
        /** Bit-exact copy from the donor (integer tensors of swapped genes). */
        DONOR,
        /** shrink·donor + perturb·fresh (floating tensors of swapped genes). */
        SHRINK_PERTURB,
        /** Zeros (optimizer state of swapped parameters). */
        ZERO
    }
}
