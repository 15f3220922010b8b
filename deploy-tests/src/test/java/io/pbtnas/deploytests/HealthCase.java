package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * One search state and what the health checks must say about it: Argo CD's status (and a word its message
 * must hold), Flux's kstatus status. {@code shows} is what the recorded object must show to be that
 * state, so a re-recording that caught another moment fails here rather than passing by luck.
 */
record HealthCase(String name, String how, Predicate<JsonNode> shows, String argo, List<String> argoSays,
        FluxCel.Status flux) {

    @Override
    public String toString() {
        return name;
    }

    static Predicate<JsonNode> phase(String phase) {
        return s -> phase.equals(s.path("status").path("phase").asText());
    }

    static Predicate<JsonNode> isTrue(String type) {
        return s -> !RecordedStatuses.trueCondition(s, type).isMissingNode();
    }

    static Predicate<JsonNode> noneTrue(String... types) {
        return s -> List.of(types).stream().allMatch(t -> RecordedStatuses.trueCondition(s, t).isMissingNode());
    }

    static final Predicate<JsonNode> NO_STATUS = s -> s.path("status").isMissingNode();
    static final Predicate<JsonNode> STALE = s -> s.path("status").path("observedGeneration").asLong()
            < s.path("metadata").path("generation").asLong();
    static final Predicate<JsonNode> CURRENT = s -> s.path("status").path("observedGeneration").asLong()
            == s.path("metadata").path("generation").asLong();
}
