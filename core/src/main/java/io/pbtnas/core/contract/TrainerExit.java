package io.pbtnas.core.contract;

import io.pbtnas.core.engine.Outcome;

/**
 * The trainer contract's exit codes (DESIGN.md, "Trainer"), read the same way by every driver:
 * 0 all outputs written (the result still has to pass {@link TrainerOutput#verify}), 2 bad input
 * (deterministic: the same input fails again, so it is never retried), anything else a failure
 * while training (retried up to failurePolicy.maxRetries).
 */
public final class TrainerExit {
    public static final int OK = 0;
    public static final int TRAINING_FAILED = 1;
    public static final int BAD_INPUT = 2;

    private TrainerExit() {
    }

    /** The outcome of a trainer that exited with {@code code} (0: succeeded, pending the output checks). */
    public static Outcome outcome(int code) {
        return switch (code) {
            case OK -> Outcome.SUCCEEDED;
            case BAD_INPUT -> Outcome.BAD_INPUT;
            default -> Outcome.FAILED;
        };
    }
}
