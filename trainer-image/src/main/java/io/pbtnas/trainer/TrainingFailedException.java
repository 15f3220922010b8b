package io.pbtnas.trainer;

/** Training itself went wrong (diverged, engine error, I/O while writing): exit code 1. */
public class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(String message) {
        super(message);
    }

    public TrainingFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
