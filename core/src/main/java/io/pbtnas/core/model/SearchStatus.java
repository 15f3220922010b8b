package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Optional;

/** The status of a search: the only state the operator keeps, enough to resume after any restart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchStatus(
        @JsonPropertyDescription("Pending, Training, Complete or Failed.")
        Phase phase,
        @JsonPropertyDescription("The generation being trained (0-based); the last one when Complete.")
        Integer generation,
        @JsonPropertyDescription("Best member of the latest finished generation.")
        BestMember best,
        @JsonPropertyDescription("Every member slot.")
        List<MemberStatus> members,
        @JsonPropertyDescription("Ready, Progressing, Degraded and Complete conditions.")
        List<Condition> conditions,
        @JsonPropertyDescription("metadata.generation of the spec last acted on.")
        Long observedGeneration,
        @JsonPropertyDescription("Human-readable summary, e.g. why the search failed.")
        String message) {

    public SearchStatus {
        members = members == null ? List.of() : List.copyOf(members);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    public MemberStatus member(int id) {
        return members.stream().filter(m -> m.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("status has no member " + id));
    }
}
