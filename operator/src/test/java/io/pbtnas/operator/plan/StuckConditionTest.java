package io.pbtnas.operator.plan;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.StuckPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StuckConditionTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:02:00Z");
    private static final Instant T3 = Instant.parse("2026-01-01T00:03:00Z");
    private static final SearchStatus ENGINE = new SearchStatus(null, 0, null, List.of(), List.of(), null, null);

    private static StuckPod stuck(int m) {
        return new StuckPod(m, 0, 0, "s-m" + m + "-g0-a0", "Unschedulable", "0/1 nodes are available");
    }

    @Test
    void stuckPodsAreNamedAndTheConditionClearsWhenTheyMoveOn() {
        SearchStatus stuck = SearchPlanner.finish(ENGINE, null, 1, T1, null, List.of(stuck(2)), false);
        Condition c = stuck.condition(ConditionType.STUCK.code()).orElseThrow();
        assertEquals(ConditionStatus.TRUE, c.status());
        assertEquals("Unschedulable", c.reason());
        assertEquals("member 2 (pod s-m2-g0-a0): Unschedulable: 0/1 nodes are available", c.message());
        assertEquals(T1.toString(), c.lastTransitionTime());

        SearchStatus still = SearchPlanner.finish(ENGINE, stuck, 1, T2, null, List.of(stuck(2)), false);
        assertEquals(T1.toString(), still.condition(ConditionType.STUCK.code()).orElseThrow().lastTransitionTime());

        SearchStatus moved = SearchPlanner.finish(ENGINE, still, 1, T3, null, List.of(), false);
        Condition cleared = moved.condition(ConditionType.STUCK.code()).orElseThrow();
        assertEquals(ConditionStatus.FALSE, cleared.status());
        assertNull(cleared.message());
        assertEquals(T3.toString(), cleared.lastTransitionTime());
    }

    @Test
    void aLargePopulationOfStuckPodsKeepsTheMessageShort() {
        List<StuckPod> many = new ArrayList<>();
        for (int m = 0; m < 64; m++) {
            many.add(stuck(m));
        }
        String message = SearchPlanner.finish(ENGINE, null, 1, T1, null, many, false)
                .condition(ConditionType.STUCK.code()).orElseThrow().message();
        assertTrue(message.contains("member 4 ") && !message.contains("member 5 "), message);
        assertTrue(message.endsWith("; and 59 more stuck pods"), message);
    }
}
