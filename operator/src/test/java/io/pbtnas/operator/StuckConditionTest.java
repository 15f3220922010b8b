package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StuckConditionTest {
    private static final SearchStatus ENGINE = new SearchStatus(null, 0, null, List.of(), List.of(), null, null);

    private static PodObserver.StuckPod stuck(int m) {
        return new PodObserver.StuckPod(m, 0, 0, "s-m" + m + "-g0-a0", "Unschedulable", "0/1 nodes are available");
    }

    @Test
    void stuckPodsAreNamedAndTheConditionClearsWhenTheyMoveOn() {
        SearchStatus stuck = StatusConditions.withConditions(ENGINE, null, 1, "t1", null, List.of(stuck(2)));
        Condition c = stuck.condition(StatusConditions.STUCK).orElseThrow();
        assertEquals("True", c.status());
        assertEquals("Unschedulable", c.reason());
        assertEquals("member 2 (pod s-m2-g0-a0): Unschedulable: 0/1 nodes are available", c.message());
        assertEquals("t1", c.lastTransitionTime());

        SearchStatus still = StatusConditions.withConditions(ENGINE, stuck, 1, "t2", null, List.of(stuck(2)));
        assertEquals("t1", still.condition(StatusConditions.STUCK).orElseThrow().lastTransitionTime());

        SearchStatus moved = StatusConditions.withConditions(ENGINE, still, 1, "t3", null, List.of());
        Condition cleared = moved.condition(StatusConditions.STUCK).orElseThrow();
        assertEquals("False", cleared.status());
        assertNull(cleared.message());
        assertEquals("t3", cleared.lastTransitionTime());
    }

    @Test
    void aLargePopulationOfStuckPodsKeepsTheMessageShort() {
        List<PodObserver.StuckPod> many = new ArrayList<>();
        for (int m = 0; m < 64; m++) {
            many.add(stuck(m));
        }
        String message = StatusConditions.withConditions(ENGINE, null, 1, "t", null, many)
                .condition(StatusConditions.STUCK).orElseThrow().message();
        assertTrue(message.contains("member 4 ") && !message.contains("member 5 "), message);
        assertTrue(message.endsWith("; and 59 more stuck pods"), message);
    }
}
