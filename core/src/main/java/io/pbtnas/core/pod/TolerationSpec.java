package io.pbtnas.core.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Kubernetes toleration for the trainer pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TolerationSpec(
        @JsonPropertyDescription("Taint key to tolerate; empty with operator Exists tolerates everything.")
        String key,
        @JsonPropertyDescription("Exists or Equal (default Equal).")
        String operator,
        @JsonPropertyDescription("Taint value for operator Equal.")
        String value,
        @JsonPropertyDescription("NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.")
        String effect,
        @JsonPropertyDescription("For NoExecute: how long the pod stays bound after the taint appears.")
        Long tolerationSeconds) {
}
