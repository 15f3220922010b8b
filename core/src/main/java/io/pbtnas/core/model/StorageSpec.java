package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where checkpoints live, and what happens to them when the search is deleted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageSpec(
        @JsonPropertyDescription("The shared volume mounted by every trainer pod.")
        PvcRef persistentVolumeClaim,
        @JsonPropertyDescription("retain (default) keeps the checkpoints when the search is deleted; delete "
                + "removes the search's directory.")
        Retention retention) {

    public enum Retention {
        @JsonProperty("retain") RETAIN,
        @JsonProperty("delete") DELETE
    }
}
