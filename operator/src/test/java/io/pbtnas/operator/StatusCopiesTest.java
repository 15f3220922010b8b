package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every place the operator rewrites a status keeps the asynchronous arrival log: losing it would make
 * the engine see a progressed search with no log and fail it with ScheduleChanged.
 */
class StatusCopiesTest {
    static final List<Arrival> LOG = List.of(new Arrival(0, 0, 0, 0.5, Arrival.Verdict.WAITING, null),
            new Arrival(1, 0, 0, 0.7, Arrival.Verdict.KEPT, 2));

    static SearchStatus async() {
        return new SearchStatus(Phase.TRAINING, 0, null, List.of(),
                List.of(new Condition(Condition.READY, "True", "SpecValid", "ok", 1L, "t0")), 1L, "m", LOG);
    }

    @Test
    void stampingConditionsKeepsTheArrivalLog() {
        SearchStatus out = StatusConditions.withConditions(async(), async(), 2, "t1", null, java.util.List.of());
        assertEquals(LOG, out.arrivals());
        assertEquals(2L, out.observedGeneration());
    }

    @Test
    void pausingKeepsTheArrivalLog() {
        SearchStatus out = StatusConditions.paused(async(), "spec.population: must be at least 1", 3, "t1");
        assertEquals(LOG, out.arrivals());
        assertEquals(3L, out.observedGeneration());
    }

    @Test
    void aRefusedPodKeepsTheArrivalLog() {
        PodCreationError e = new PodCreationError("s-m0-g1-a0", new KubernetesClientException("exceeded quota", 403,
                null));
        assertEquals(LOG, e.statusWith(async(), 1, "t1").arrivals());
    }

    @Test
    void theExportedStatusKeepsTheArrivalLog() throws Exception {
        var cm = ExportInput.configMap(PodFactoryTest.search(), PodFactoryTest.spec(), async());
        var resource = Json.MAPPER.readTree(new String(ExportInputTest.file(cm), java.nio.charset.StandardCharsets.UTF_8));
        SearchStatus passed = Json.MAPPER.treeToValue(resource.get("status"), SearchStatus.class);
        assertEquals(LOG, passed.arrivals());
        assertEquals(List.of(), passed.conditions());
    }
}
