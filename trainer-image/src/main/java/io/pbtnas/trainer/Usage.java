package io.pbtnas.trainer;

/** The --help text. */
final class Usage {
    static final String TEXT = """
            pbtnas-trainer: trains one PBT-NAS member for a range of epochs (DJL, PyTorch engine).

            Every input is an environment variable or the equivalent flag (flags win):
              --search-space  PBTNAS_SEARCH_SPACE  JSON {"genes":[{"name","prefix","options"}]} (or @file);
                                                   default: the checkpoint's, else the built-in 6-position space
              --genome        PBTNAS_GENOME        JSON object gene -> op (or @file); required to train
              --input         PBTNAS_INPUT         checkpoint to start from; unset = fresh weights
              --output-dir    PBTNAS_OUTPUT_DIR    where model.safetensors and metrics.json go
              --epoch-from    PBTNAS_EPOCH_FROM    first epoch to train (default 0; = the checkpoint's epoch)
              --epoch-to      PBTNAS_EPOCH_TO      train epochs [from, to) (default from+1)
              --seed          PBTNAS_SEED          seed of weight init and data order (default 0)
              --task          PBTNAS_TASK          fashion-mnist (the only task)
              --task-args     PBTNAS_TASK_ARGS     JSON: batchSize, learningRate, width, dataDir, trainSubset,
                                                   validationSubset, testSubset, threads, evalBatchSize, progressEvery
              --hparams       PBTNAS_HPARAMS       JSON: this step's learningRate, weightDecay (decoupled, AdamW),
                                                   batchSize (set by a search that explores them); other names exit 2
              --termination-log PBTNAS_TERMINATION_LOG  default /dev/termination-log (warning only if unwritable)
              --mode          PBTNAS_MODE          train (default) | evaluate; --evaluate is short for --mode evaluate
              --threads       PBTNAS_THREADS       intra-op threads (default: taskArgs.threads, else all cores)
              --engine-info                        start the engine, print its version, exit (image warm-up)

            Exit codes: 0 all outputs written, 1 training failed, 2 bad input (nothing written).
            Stdout: one JSON event per line (start, progress, epoch, result, error).
            """;

    private Usage() {
    }
}
