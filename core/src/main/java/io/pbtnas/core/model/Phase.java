package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle of a search. */
public enum Phase {
    @JsonProperty("Training") TRAINING,
    @JsonProperty("Complete") COMPLETE,
    @JsonProperty("Failed") FAILED;

    public boolean isFinal() {
        return this == COMPLETE || this == FAILED;
    }
}
