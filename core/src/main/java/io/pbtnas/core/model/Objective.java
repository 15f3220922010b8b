package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a higher or a lower trainer score is better. */
public enum Objective {
    @JsonProperty("maximize") MAXIMIZE,
    @JsonProperty("minimize") MINIMIZE;

    /** The score turned into "higher is better". */
    public double goodness(double score) {
        return this == MAXIMIZE ? score : -score;
    }
}
