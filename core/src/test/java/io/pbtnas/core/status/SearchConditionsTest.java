package io.pbtnas.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SearchConditionsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void aConditionKeepsItsTimeWhileItsStatusHoldsAndTakesNowOnATransition() {
        SearchStatus first = SearchConditions.fresh(null).failed(Phase.TRAINING, null)
                .applyTo(SearchStatus.EMPTY, 1L, T0);
        assertEquals(T0.toString(), first.condition("Failed").orElseThrow().lastTransitionTime());
        SearchStatus same = SearchConditions.fresh(first).failed(Phase.TRAINING, null).applyTo(first, 2L, T1);
        assertEquals(T0.toString(), same.condition("Failed").orElseThrow().lastTransitionTime());
        assertEquals(2L, same.condition("Failed").orElseThrow().observedGeneration());
        SearchStatus flipped = SearchConditions.fresh(same).failed(Phase.FAILED, "boom").applyTo(same, 2L, T1);
        Condition failed = flipped.condition("Failed").orElseThrow();
        assertEquals(ConditionStatus.TRUE, failed.status());
        assertEquals(T1.toString(), failed.lastTransitionTime());
        assertEquals("SearchFailed", failed.reason());
    }

    @Test
    void withoutAClockATransitionIsLeftForTheCallerToStamp() {
        SearchStatus s = SearchConditions.fresh(null).search(Phase.TRAINING, null, "p", List.of())
                .applyTo(SearchStatus.EMPTY, null, null);
        s.conditions().forEach(c -> assertNull(c.lastTransitionTime(), c.type()));
        SearchStatus stamped = SearchConditions.restamping(s, null).build(3L, T0).stream()
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
                        s::withConditions));
        stamped.conditions().forEach(c -> assertEquals(T0.toString(), c.lastTransitionTime(), c.type()));
        stamped.conditions().forEach(c -> assertEquals(3L, c.observedGeneration(), c.type()));
    }

    @Test
    void keepingLeavesOtherConditionsExactlyAsTheyWere() {
        SearchStatus s = SearchConditions.fresh(null).search(Phase.TRAINING, null, "p", List.of())
                .applyTo(SearchStatus.EMPTY, 1L, T0);
        SearchStatus paused = SearchConditions.keeping(s, s).paused("spec.population: bad").applyTo(s, 5L, T1);
        assertEquals(s.condition("Degraded"), paused.condition("Degraded"));
        assertEquals(s.condition("Complete"), paused.condition("Complete"));
        assertEquals(ConditionStatus.TRUE, paused.condition("Paused").orElseThrow().status());
        Condition ready = paused.condition("Ready").orElseThrow();
        assertEquals(ConditionStatus.FALSE, ready.status(), "an invalid spec is not Ready");
        assertEquals("InvalidSpec", ready.reason());
        Condition progressing = paused.condition("Progressing").orElseThrow();
        assertEquals(ConditionStatus.FALSE, progressing.status());
        assertEquals("InvalidSpec", progressing.reason());
        assertEquals(T1.toString(), progressing.lastTransitionTime());
        assertEquals(List.of("Degraded", "Complete", "Paused", "Ready", "Progressing"),
                paused.conditions().stream().map(Condition::type).toList());
    }

    @Test
    void stuckNamesFivePodsAndCountsTheRest() {
        List<StuckPod> pods = IntStream.range(0, 7).mapToObj(m -> new StuckPod(m, 0, 0, "s-m" + m, "ErrImagePull",
                "container trainer: no such image")).toList();
        Condition c = SearchConditions.fresh(null).stuck(pods).build(1L, T0).get(0);
        assertEquals("ErrImagePull", c.reason());
        assertTrue(c.message().startsWith("member 0 (pod s-m0): ErrImagePull: container trainer"), c.message());
        assertTrue(c.message().endsWith("; and 2 more stuck pods"), c.message());
        assertEquals(5, c.message().split("\\(pod ").length - 1);
        assertEquals("NoStuckPods", SearchConditions.fresh(null).stuck(List.of()).build(1L, T0).get(0).reason());
    }

    @Test
    void aReasonOfAnotherTypeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> SearchConditions.fresh(null)
                .cleanup(Reason.EXPORTED, "x"));
        assertThrows(IllegalArgumentException.class, () -> SearchConditions.fresh(null).stuck(List.of(
                new StuckPod(0, 0, 0, "p", "SomethingElse", null))));
    }

    @Test
    void queuedNamesTheLocalQueueAndCountIsAbsentUntilQueuedAndFalseOnceAdmitted() {
        assertTrue(SearchConditions.fresh(null).queued("team-a", 0).build(1L, T0).isEmpty(), "never queued: absent");
        SearchStatus queued = SearchConditions.fresh(null).queued("team-a", 2).applyTo(SearchStatus.EMPTY, 1L, T0);
        Condition c = queued.condition("Queued").orElseThrow();
        assertEquals(ConditionStatus.TRUE, c.status());
        assertEquals("WaitingForAdmission", c.reason());
        assertEquals("2 member pods wait for admission in LocalQueue team-a", c.message());
        Condition admitted = SearchConditions.fresh(queued).queued("team-a", 0).build(1L, T1).get(0);
        assertEquals(ConditionStatus.FALSE, admitted.status());
        assertEquals("Admitted", admitted.reason());
        assertEquals(T1.toString(), admitted.lastTransitionTime());
        assertEquals("1 member pod waits for admission in the namespace's default LocalQueue",
                SearchConditions.fresh(null).queued(null, 1).build(1L, T0).get(0).message());
    }

    @Test
    void suspendedIsAbsentOnASearchNeverSuspendedAndFalseAfterAResume() {
        assertTrue(SearchConditions.fresh(null).suspended(false, Phase.TRAINING).build(1L, T0).isEmpty());
        SearchStatus suspended = SearchConditions.fresh(null).suspended(true, Phase.TRAINING)
                .applyTo(SearchStatus.EMPTY, 1L, T0);
        Condition resumed = SearchConditions.fresh(suspended).suspended(false, Phase.TRAINING).build(2L, T1).get(0);
        assertEquals(ConditionStatus.FALSE, resumed.status());
        assertEquals("Resumed", resumed.reason());
    }
}
