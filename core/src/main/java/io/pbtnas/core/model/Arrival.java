package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One training result as the asynchronous schedule applied it, in the order applied, with what was
 * decided: the log that lets anyone replay the search's decisions from the status alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Arrival(
        @JsonPropertyDescription("Member slot.")
        Integer member,
        @JsonPropertyDescription("The step the result is for (0-based).")
        Integer step,
        @JsonPropertyDescription("The attempt the result is for.")
        Integer attempt,
        @JsonPropertyDescription("The score; absent when the attempt failed.")
        Double score,
        @JsonPropertyDescription("kept (ranked, survives), replaced (ranked in the bottom: a child trains the next "
                + "step in this slot), waiting (fewer members than the quorum have finished this step; it waits "
                + "while others use the GPUs), unjudged (went on without a ranking rather than leave a GPU idle), "
                + "last (the final step, nobody is replaced), retry (failed, tried again), failed (failed for good).")
        Verdict verdict,
        @JsonPropertyDescription("How many step scores the member was ranked against (itself included); absent "
                + "when it was not ranked.")
        Integer ranked,
        @JsonPropertyDescription("When the attempt started (ISO-8601), as the driver saw it: the pod's start time on "
                + "a cluster. Shown in the report's timeline, never used in a decision; absent when not known.")
        String startedAt,
        @JsonPropertyDescription("When the attempt finished (ISO-8601), as the driver saw it: the pod's last "
                + "container's finish time on a cluster. Shown in the report's timeline, never used in a decision; "
                + "absent when not known.")
        String finishedAt) {

    /** A result without wall-clock times (statuses recorded before they were kept, tests). */
    public Arrival(Integer member, Integer step, Integer attempt, Double score, Verdict verdict, Integer ranked) {
        this(member, step, attempt, score, verdict, ranked, null, null);
    }

    /** The same result with another verdict (a waiting member judged or let go); the times stay. */
    public Arrival with(Verdict newVerdict, Integer newRanked) {
        return new Arrival(member, step, attempt, score, newVerdict, newRanked, startedAt, finishedAt);
    }

    /** The same result with the attempt's wall-clock times. */
    public Arrival at(String started, String finished) {
        return new Arrival(member, step, attempt, score, verdict, ranked, started, finished);
    }

    public enum Verdict {
        @JsonProperty("kept") KEPT,
        @JsonProperty("replaced") REPLACED,
        @JsonProperty("waiting") WAITING,
        @JsonProperty("unjudged") UNJUDGED,
        @JsonProperty("last") LAST,
        @JsonProperty("retry") RETRY,
        @JsonProperty("failed") FAILED
    }
}
