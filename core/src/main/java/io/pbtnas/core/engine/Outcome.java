package io.pbtnas.core.engine;

/** How one finished training attempt ended (drivers report only finished attempts). */
public enum Outcome {
    SUCCEEDED, FAILED
}
