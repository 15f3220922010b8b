package io.pbtnas.core.mix;

import io.pbtnas.core.checkpoint.InitDistribution;
import io.pbtnas.core.safetensors.TensorInfo;

/**
 * A donor tensor to shrink-perturb: its place in the donor file, the distribution its fresh values
 * come from (null when perturb is 0) and their seed.
 */
record TensorMix(TensorInfo tensor, InitDistribution init, long freshSeed) {
}
