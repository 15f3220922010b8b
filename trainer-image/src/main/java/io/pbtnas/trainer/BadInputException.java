package io.pbtnas.trainer;

/** Input the trainer cannot use (flags, env, genome, checkpoint, data): exit code 2, nothing written. */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
