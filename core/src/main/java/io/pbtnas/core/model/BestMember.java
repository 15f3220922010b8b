package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** The best member of the latest finished generation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BestMember(
        @JsonPropertyDescription("Member slot.")
        Integer member,
        @JsonPropertyDescription("Its score in that generation.")
        Double score,
        @JsonPropertyDescription("Its architecture.")
        Map<String, String> genome,
        @JsonPropertyDescription("Its checkpoint, relative to the search root.")
        String checkpoint,
        @JsonPropertyDescription("The generation the score belongs to.")
        Integer generation) {
}
