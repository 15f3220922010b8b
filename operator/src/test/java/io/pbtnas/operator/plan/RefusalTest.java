package io.pbtnas.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodBuildersTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalTest {
    @Test
    void reasonsTellQuotaWebhooksInvalidPodsAndRbacApart() {
        assertEquals(Reason.QUOTA_EXCEEDED, new Refusal("pod", "p", 403,
                "pods \"s-m0-g0-a0\" is forbidden: exceeded quota: gpu, requested: nvidia.com/gpu=1").reason());
        assertEquals(Reason.ADMISSION_DENIED, new Refusal("pod", "p", 400,
                "admission webhook \"policy.example.com\" denied the request: no GPUs on weekends").reason());
        assertEquals(Reason.INVALID, new Refusal("pod", "p", 422, "Pod \"x\" is invalid: spec.nodeSelector").reason());
        assertEquals(Reason.FORBIDDEN, new Refusal("pod", "p", 403, "cannot create resource \"pods\"").reason());
        assertEquals(Reason.API_ERROR, new Refusal("pod", "p", 500, "etcdserver: timeout").reason());
    }

    /** The refusal plan: waits grow with how long the condition has lasted, within the backoff's bounds. */
    @Test
    void waitsGrowWithHowLongTheConditionHasLastedWithinBounds() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        SearchStatus since = new SearchStatus(null, null, null, null, List.of(new Condition(
                ConditionType.POD_CREATION_FAILED.code(), ConditionStatus.TRUE, Reason.QUOTA_EXCEEDED.code(), "m", 1L,
                t0.toString())), 1L, null);
        Refusal quota = new Refusal("pod", "s-m0-g0-a0", 403, "exceeded quota: gpu");
        // PodBuildersTest.CONFIG: backoff base 10 s, max 5 min.
        SearchPlanner planner = new SearchPlanner(PodBuildersTest.CONFIG);
        Duration base = Duration.ofSeconds(10);
        assertEquals(base, planner.refused(search(null), quota, t0).retryIn());
        assertEquals(base, planner.refused(search(since), quota, t0.plusSeconds(3)).retryIn());
        assertEquals(Duration.ofSeconds(40), planner.refused(search(since), quota, t0.plusSeconds(40)).retryIn());
        assertEquals(Duration.ofMinutes(5), planner.refused(search(since), quota, t0.plusSeconds(4000)).retryIn());
    }

    @Test
    void theConditionNamesTheRefusalAndTheEventComesOncePerMessage() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Refusal quota = new Refusal("pod", "s-m0-g0-a0", 403, "exceeded quota: gpu");
        SearchPlanner planner = new SearchPlanner(PodBuildersTest.CONFIG);
        RefusalPlan first = planner.refused(search(null), quota, t0);
        Condition c = first.status().condition(ConditionType.POD_CREATION_FAILED.code()).orElseThrow();
        assertEquals("QuotaExceeded", c.reason());
        assertTrue(c.message().startsWith("waiting for quota: the API server refused pod s-m0-g0-a0 (HTTP 403)"),
                c.message());
        assertTrue(first.event().isPresent());
        assertTrue(planner.refused(search(first.status()), quota, t0.plusSeconds(5)).event().isEmpty());
    }

    private static PbtNasSearch search(SearchStatus status) {
        PbtNasSearch s = new PbtNasSearch();
        s.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("ns").withGeneration(1L).build());
        s.setStatus(status);
        return s;
    }
}
