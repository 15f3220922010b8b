package io.pbtnas.core.engine;

/** What a driver observed of one training attempt. */
public enum Outcome {
    SUCCEEDED, FAILED, RUNNING
}
