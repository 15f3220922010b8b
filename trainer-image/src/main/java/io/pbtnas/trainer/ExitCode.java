package io.pbtnas.trainer;

/** The trainer contract's exit codes. */
public final class ExitCode {
    /** Checkpoint, metrics.json and the termination message are all written. */
    public static final int OK = 0;
    /** Failure while training or writing the outputs. */
    public static final int TRAINING_FAILED = 1;
    /** Bad input: flags, environment, genome, checkpoint or data. Nothing was written. */
    public static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
