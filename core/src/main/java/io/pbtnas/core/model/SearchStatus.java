package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Optional;

/** The status of a search: the only state the operator keeps, enough to resume after any restart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchStatus(
        @JsonPropertyDescription("Training, Complete or Failed (empty until the first reconcile).")
        Phase phase,
        @JsonPropertyDescription("The generation being trained (0-based); the last one when Complete.")
        Integer generation,
        @JsonPropertyDescription("Best member of the latest finished generation.")
        BestMember best,
        @JsonPropertyDescription("Every member slot.")
        List<MemberStatus> members,
        @JsonPropertyDescription("The conditions of the search, one per type (see conditions[].type).")
        List<Condition> conditions,
        @JsonPropertyDescription("metadata.generation of the spec last acted on.")
        Long observedGeneration,
        @JsonPropertyDescription("Human-readable summary, e.g. why the search failed.")
        String message,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @JsonPropertyDescription("Asynchronous schedule only: every training result in the order it was applied, "
                + "with its verdict; the decisions replay from this log.")
        List<Arrival> arrivals) {

    /** Before the first reconcile: nothing at all. */
    public static final SearchStatus EMPTY = new SearchStatus(null, null, null, null, null, null, null);

    public SearchStatus {
        members = members == null ? List.of() : List.copyOf(members);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        arrivals = arrivals == null ? List.of() : List.copyOf(arrivals);
    }

    /** A status without an arrival log (the synchronous schedule). */
    public SearchStatus(Phase phase, Integer generation, BestMember best, List<MemberStatus> members,
                        List<Condition> conditions, Long observedGeneration, String message) {
        this(phase, generation, best, members, conditions, observedGeneration, message, null);
    }

    /** A copy with other conditions, everything else (the arrival log included) kept. */
    public SearchStatus withConditions(List<Condition> newConditions) {
        return new SearchStatus(phase, generation, best, members, newConditions, observedGeneration, message,
                arrivals);
    }

    /** A copy with another observedGeneration, every other component (the arrival log included) kept. */
    public SearchStatus withObservedGeneration(Long newObservedGeneration) {
        return new SearchStatus(phase, generation, best, members, conditions, newObservedGeneration, message,
                arrivals);
    }

    /** A copy with another message, every other component (the arrival log included) kept. */
    public SearchStatus withMessage(String newMessage) {
        return new SearchStatus(phase, generation, best, members, conditions, observedGeneration, newMessage,
                arrivals);
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    public MemberStatus member(int id) {
        return members.stream().filter(m -> m.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("status has no member " + id));
    }
}
