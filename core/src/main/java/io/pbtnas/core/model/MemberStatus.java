package io.pbtnas.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.pbtnas.core.layout.CheckpointLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One member slot: its current genome, its history, and where it is in the current generation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberStatus(
        @JsonPropertyDescription("Member slot number, 0-based.")
        Integer id,
        @JsonPropertyDescription("Current architecture, gene → option.")
        Map<String, String> genome,
        @JsonPropertyDescription("Scores of the successful generations of this slot, in order; generations in "
                + "failedAt have none.")
        List<Double> scores,
        @JsonPropertyDescription("Generations at whose start this slot received a new network (a child).")
        List<Integer> replacedAt,
        @JsonPropertyDescription("Generations this slot failed (after all retries).")
        List<Integer> failedAt,
        @JsonPropertyDescription("How the slot got each of its networks.")
        List<LineageEntry> lineage,
        @JsonPropertyDescription("Latest checkpoint that counts for this member, relative to the search root.")
        String checkpoint,
        @JsonPropertyDescription("Failed attempts in the current generation (the next attempt number).")
        Integer attempts,
        @JsonPropertyDescription("Pending, Training, Done, Failed or Dropped in the current generation.")
        MemberState state,
        @JsonPropertyDescription("Last failure message of this member, if any.")
        String message,
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @SchemaFrom(type = com.fasterxml.jackson.databind.JsonNode.class) // a list of objects name → number | string
        @JsonPropertyDescription("Hyperparameter values this slot trained with at each step: entry k is the "
                + "object name → value of step k (the PBT policy log). Empty without hyperparameters.")
        List<Map<String, Object>> hparams,
        @JsonPropertyDescription("For each entry of scores (same order), the attempt whose files count: "
                + "members/<id>/gen-<g>/attempt-<a>/; -1 for a step finished before attempts had their own "
                + "directories (its files are in members/<id>/gen-<g>/).")
        List<Integer> checkpointAttempts,
        @JsonPropertyDescription("Of attempts, how many were disrupted (evicted, preempted, node lost or shut "
                + "down): each got a new attempt without using one of failurePolicy.maxRetries. Unset when none.")
        Integer disruptions) {

    /** A member without hyperparameters. */
    public MemberStatus(Integer id, Map<String, String> genome, List<Double> scores, List<Integer> replacedAt,
                        List<Integer> failedAt, List<LineageEntry> lineage, String checkpoint, Integer attempts,
                        MemberState state, String message) {
        this(id, genome, scores, replacedAt, failedAt, lineage, checkpoint, attempts, state, message, null, null, null);
    }

    /** A member whose steps (if any) were all written before attempt directories (see checkpointAttempts). */
    public MemberStatus(Integer id, Map<String, String> genome, List<Double> scores, List<Integer> replacedAt,
                        List<Integer> failedAt, List<LineageEntry> lineage, String checkpoint, Integer attempts,
                        MemberState state, String message, List<Map<String, Object>> hparams) {
        this(id, genome, scores, replacedAt, failedAt, lineage, checkpoint, attempts, state, message, hparams, null,
                null);
    }

    /** A member never disrupted in its current step. */
    public MemberStatus(Integer id, Map<String, String> genome, List<Double> scores, List<Integer> replacedAt,
                        List<Integer> failedAt, List<LineageEntry> lineage, String checkpoint, Integer attempts,
                        MemberState state, String message, List<Map<String, Object>> hparams,
                        List<Integer> checkpointAttempts) {
        this(id, genome, scores, replacedAt, failedAt, lineage, checkpoint, attempts, state, message, hparams,
                checkpointAttempts, null);
    }

    public MemberStatus {
        scores = scores == null ? List.of() : List.copyOf(scores);
        replacedAt = replacedAt == null ? List.of() : List.copyOf(replacedAt);
        failedAt = failedAt == null ? List.of() : List.copyOf(failedAt);
        lineage = lineage == null ? List.of() : List.copyOf(lineage);
        genome = genome == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(genome));
        hparams = hparams == null ? List.of() : hparams.stream()
                .map(v -> java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v))).toList();
        // Absent in a status written before attempts had directories: every step so far left its files
        // in members/<id>/gen-<g>/, which the legacy attempt names.
        checkpointAttempts = checkpointAttempts == null
                ? java.util.Collections.nCopies(scores.size(), CheckpointLayout.LEGACY_ATTEMPT)
                : List.copyOf(checkpointAttempts);
        if (checkpointAttempts.size() != scores.size()) {
            throw new IllegalArgumentException("member " + id + ": checkpointAttempts has "
                    + checkpointAttempts.size() + " entries but scores has " + scores.size() + "; they pair up");
        }
        // Unset rather than 0, so a status without disruptions reads as it did before the field existed.
        disruptions = disruptions == null || disruptions <= 0 ? null : disruptions;
    }

    /** Disrupted attempts of the current step (0 when unset). */
    public int disruptionCount() {
        return disruptions == null ? 0 : disruptions;
    }

    /** Retries used in the current step: the attempts that failed, not counting disruptions. */
    public int retriesUsed() {
        return (attempts == null ? 0 : attempts) - disruptionCount();
    }

    /** The current attempt was disrupted: the next attempt starts without using a retry. */
    public MemberStatus withDisruption(String message) {
        return new MemberStatus(id, genome, scores, replacedAt, failedAt, lineage, checkpoint,
                (attempts == null ? 0 : attempts) + 1, MemberState.PENDING, message, hparams, checkpointAttempts,
                disruptionCount() + 1);
    }

    /** The hyperparameter values of step k (empty when the search has none or the slot never reached k). */
    public Map<String, Object> hparamsAt(int step) {
        return step >= 0 && step < hparams.size() ? hparams.get(step) : Map.of();
    }

    /** Steps this slot has finished, with a score or failed for good: the step it trains next. */
    public int stepsDone() {
        return scores.size() + failedAt.size();
    }

    /** A copy whose next step uses {@code values} (appended to hparams; nothing when there are none). */
    public MemberStatus withNextHparams(Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return this;
        }
        List<Map<String, Object>> h = new ArrayList<>(hparams);
        h.add(values);
        return new MemberStatus(id, genome, scores, replacedAt, failedAt, lineage, checkpoint, attempts, state,
                message, h, checkpointAttempts, disruptions);
    }

    /** The score of generation g, if this slot succeeded in it (slots exist from generation 0). */
    public Optional<Double> scoreAt(int generation) {
        return index(generation).map(scores::get);
    }

    /** Where generation g's entry is in scores (and checkpointAttempts), if this slot succeeded in it. */
    private Optional<Integer> index(int generation) {
        if (failedAt.contains(generation)) {
            return Optional.empty();
        }
        int index = generation - (int) failedAt.stream().filter(f -> f < generation).count();
        return index >= 0 && index < scores.size() ? Optional.of(index) : Optional.empty();
    }

    /** The lineage entry that started the network of the given generation, if it started then. */
    public Optional<LineageEntry> startedAt(int generation) {
        for (int i = lineage.size() - 1; i >= 0; i--) {
            if (lineage.get(i).generation() != null && lineage.get(i).generation() == generation) {
                return Optional.of(lineage.get(i));
            }
        }
        return Optional.empty();
    }

    /** A copy in state {@code s}; attempts 0 (a new step) also clears the disruptions, which count within attempts. */
    public MemberStatus withState(MemberState s, Integer attempts, String message) {
        return new MemberStatus(id, genome, scores, replacedAt, failedAt, lineage, checkpoint, attempts, s, message,
                hparams, checkpointAttempts, attempts == null || attempts == 0 ? null : disruptions);
    }

    /** Step {@code generation} succeeded with {@code score}; the files of {@code attempt} are the ones that count. */
    public MemberStatus withScore(double score, int generation, int attempt) {
        List<Double> s = new ArrayList<>(scores);
        s.add(score);
        List<Integer> a = new ArrayList<>(checkpointAttempts);
        a.add(attempt);
        return new MemberStatus(id, genome, s, replacedAt, failedAt, lineage,
                CheckpointLayout.relativeModel(id, generation, attempt), attempts, MemberState.DONE, message, hparams,
                a, disruptions);
    }

    /** The attempt whose files count for generation g, if this slot succeeded in it. */
    public Optional<Integer> attemptAt(int generation) {
        return index(generation).map(checkpointAttempts::get);
    }

    /** The model.safetensors that counts for generation g (relative to the search root), if g succeeded. */
    public Optional<String> checkpointAt(int generation) {
        return attemptAt(generation).map(a -> CheckpointLayout.relativeModel(id, generation, a));
    }

    public MemberStatus withFailure(int generation, MemberState s, String message) {
        List<Integer> f = new ArrayList<>(failedAt);
        if (!f.contains(generation)) {
            f.add(generation);
        }
        return new MemberStatus(id, genome, scores, replacedAt, f, lineage, checkpoint, attempts, s, message, hparams,
                checkpointAttempts, disruptions);
    }

    /** The slot gets a new network for the given generation. */
    public MemberStatus replaced(Map<String, String> newGenome, LineageEntry entry) {
        List<Integer> r = new ArrayList<>(replacedAt);
        r.add(entry.generation());
        List<LineageEntry> l = new ArrayList<>(lineage);
        l.add(entry);
        return new MemberStatus(id, newGenome, scores, r, failedAt, l, checkpoint, 0, MemberState.PENDING, null,
                hparams, checkpointAttempts);
    }
}
