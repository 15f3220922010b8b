package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a member is in the current generation. */
public enum MemberState {
    /** Waiting for a free slot (parallelism) or for a retry to be started. */
    @JsonProperty("Pending") PENDING,
    /** A train action was issued for (generation, attempts). */
    @JsonProperty("Training") TRAINING,
    /** Trained this generation; its score is recorded. */
    @JsonProperty("Done") DONE,
    /** Out of retries this generation (see failurePolicy). */
    @JsonProperty("Failed") FAILED,
    /** Dropped for the rest of the search (failurePolicy degrade, or nothing could replace it). */
    @JsonProperty("Dropped") DROPPED
}
