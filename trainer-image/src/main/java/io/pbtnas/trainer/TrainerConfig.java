package io.pbtnas.trainer;

import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One run's inputs, resolved from flags and environment (see {@link ConfigReader}).
 *
 * @param searchSpace        empty: the checkpoint's recorded space, else the built-in one
 * @param genome             empty only in evaluate mode, where the checkpoint's genome is used
 * @param terminationLogSet  false when the default path is used: failing to write it is then only a warning
 * @param hparams            this step's hyperparameters; learningRate and batchSize are already in taskArgs
 */
public record TrainerConfig(Mode mode, Optional<SearchSpace> searchSpace, Optional<Genome> genome, Optional<Path> input,
        Optional<Path> outputDir, int epochFrom, int epochTo, long seed, String task, TaskArgs taskArgs,
        Path terminationLog, boolean terminationLogSet, int threads, Hyperparameters hparams) {
}
