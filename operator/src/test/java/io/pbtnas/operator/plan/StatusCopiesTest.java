package io.pbtnas.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.observe.ObservedSearch;
import io.pbtnas.operator.pods.ExportInput;
import io.pbtnas.operator.pods.ExportInputTest;
import io.pbtnas.operator.pods.PodBuildersTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every plan that rewrites a status keeps the asynchronous arrival log: losing it would make the engine
 * see a progressed search with no log and fail it with ScheduleChanged.
 */
class StatusCopiesTest {
    static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
    static final List<Arrival> LOG = List.of(new Arrival(0, 0, 0, 0.5, Arrival.Verdict.WAITING, null),
            new Arrival(1, 0, 0, 0.7, Arrival.Verdict.KEPT, 2));

    static SearchStatus async() {
        return new SearchStatus(Phase.TRAINING, 0, null, List.of(),
                List.of(new Condition("Ready", ConditionStatus.TRUE, "SpecValid", "ok", 1L, "t0")), 1L, "m", LOG);
    }

    @Test
    void stampingConditionsKeepsTheArrivalLog() {
        SearchStatus out = SearchPlanner.finish(async(), async(), 2, T1, null, List.of(), false);
        assertEquals(LOG, out.arrivals());
        assertEquals(2L, out.observedGeneration());
    }

    @Test
    void pausingKeepsTheArrivalLog() {
        PbtNasSearch search = search();
        ObservedSearch seen = new ObservedSearch(search, PodBuildersTest.spec(),
                List.of("spec.population: must be at least 1"), async(), 3, List.of(), List.of(), List.of(), List.of(),
                List.of());
        SearchStatus out = new SearchPlanner(PodBuildersTest.CONFIG).plan(seen, T1).status();
        assertEquals(LOG, out.arrivals());
        assertEquals(3L, out.observedGeneration());
    }

    @Test
    void aRefusedPodKeepsTheArrivalLog() {
        Refusal quota = new Refusal("pod", "s-m0-g1-a0", 403, "exceeded quota");
        assertEquals(LOG, new SearchPlanner(PodBuildersTest.CONFIG).refused(search(), quota, T1).status().arrivals());
    }

    @Test
    void theExportedStatusKeepsTheArrivalLog() throws Exception {
        var cm = ExportInput.configMap(PodBuildersTest.search(), PodBuildersTest.spec(), async());
        var resource = Json.MAPPER.readTree(new String(ExportInputTest.file(cm), java.nio.charset.StandardCharsets.UTF_8));
        SearchStatus passed = Json.MAPPER.treeToValue(resource.get("status"), SearchStatus.class);
        assertEquals(LOG, passed.arrivals());
        assertEquals(List.of(), passed.conditions());
    }

    private static PbtNasSearch search() {
        PbtNasSearch s = PodBuildersTest.search();
        s.setStatus(async());
        return s;
    }
}
