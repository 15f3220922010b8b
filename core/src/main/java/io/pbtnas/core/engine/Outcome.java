package io.pbtnas.core.engine;

/**
 * How one finished training attempt ended (drivers report only finished attempts). The engine treats
 * each kind of failure differently (DESIGN.md §5): {@link #FAILED} uses one of
 * failurePolicy.maxRetries, {@link #DISRUPTED} gets a new attempt without using one, and
 * {@link #BAD_INPUT} fails the member at once.
 */
public enum Outcome {
    SUCCEEDED,
    /** The trainer failed while training (exit 1, a crash, a deadline, outputs that fail the checks). */
    FAILED,
    /** The attempt was stopped from outside: an eviction, a preemption, node loss or shutdown. */
    DISRUPTED,
    /** The trainer exited 2: by the contract its input is bad, and the same input fails again. */
    BAD_INPUT
}
