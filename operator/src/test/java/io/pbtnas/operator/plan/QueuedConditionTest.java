package io.pbtnas.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueuedConditionTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:02:00Z");
    private static final SearchStatus ENGINE = new SearchStatus(null, 0, null, List.of(), List.of(), null, null);

    private static List<String> reasons(List<SearchEvent> events) {
        return events.stream().map(SearchEvent::reason).toList();
    }

    @Test
    void oneEventWhenMemberPodsStartWaitingForAdmissionAndOneWhenNoneWaitsAnyMore() {
        SearchStatus queued = SearchPlanner.finish(ENGINE, null, 1, T1, null, List.of(), false, "team-a", 2);
        List<SearchEvent> started = Announcements.of(null, queued);
        assertEquals(List.of(SearchEvent.QUEUED), reasons(started));
        assertEquals("2 member pods wait for admission in LocalQueue team-a", started.get(0).message());

        SearchStatus fewer = SearchPlanner.finish(ENGINE, queued, 1, T2, null, List.of(), false, "team-a", 1);
        assertEquals(List.of(), reasons(Announcements.of(queued, fewer)), "still waiting: no new event");

        SearchStatus admitted = SearchPlanner.finish(ENGINE, fewer, 1, T2, null, List.of(), false, "team-a", 0);
        assertEquals(ConditionStatus.FALSE, admitted.condition(ConditionType.QUEUED.code()).orElseThrow().status());
        assertEquals(List.of(SearchEvent.ADMITTED), reasons(Announcements.of(fewer, admitted)));
        assertEquals(List.of(), reasons(Announcements.of(admitted, admitted)));
    }
}
