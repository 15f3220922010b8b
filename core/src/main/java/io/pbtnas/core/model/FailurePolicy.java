package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** What happens when a member's training step fails. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FailurePolicy(
        @Min(0)
        @JsonPropertyDescription("How many times a failed training step is retried before the policy in "
                + "onExhausted applies. Default 2.")
        Integer maxRetries,
        @JsonPropertyDescription("After the retries: 'replace' treats the member as the worst of its generation "
                + "and replaces it by a child (like a bottom member; with strategy random, or on the last "
                + "generation, it is dropped as with 'degrade'); 'degrade' drops the member for the rest of the "
                + "search and marks the search Degraded. Default replace.")
        OnExhausted onExhausted) {

    public static final int DEFAULT_MAX_RETRIES = 2;

    public enum OnExhausted {
        @JsonProperty("replace") REPLACE,
        @JsonProperty("degrade") DEGRADE
    }

    public FailurePolicy withDefaults() {
        return new FailurePolicy(maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries,
                onExhausted == null ? OnExhausted.REPLACE : onExhausted);
    }
}
