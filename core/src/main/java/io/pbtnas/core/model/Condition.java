package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A status condition (Ready, Progressing, Degraded, Complete). The engine is pure and sets no
 * clock: it keeps lastTransitionTime when a condition's status is unchanged and leaves it null
 * on a transition, for the caller to stamp.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Condition(
        @JsonPropertyDescription("Ready, Progressing, Degraded or Complete.")
        String type,
        @JsonPropertyDescription("True, False or Unknown.")
        String status,
        @JsonPropertyDescription("CamelCase reason of the last transition.")
        String reason,
        @JsonPropertyDescription("Human-readable details.")
        String message,
        @JsonPropertyDescription("metadata.generation of the spec this condition was computed from.")
        Long observedGeneration,
        @JsonPropertyDescription("When the status last changed (RFC 3339).")
        String lastTransitionTime) {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String COMPLETE = "Complete";
}
