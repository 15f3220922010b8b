package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodCreationErrorTest {
    @Test
    void reasonsTellQuotaWebhooksInvalidPodsAndRbacApart() {
        assertEquals(PodCreationError.QUOTA_EXCEEDED, PodCreationError.reason(403,
                "pods \"s-m0-g0-a0\" is forbidden: exceeded quota: gpu, requested: nvidia.com/gpu=1"));
        assertEquals(PodCreationError.ADMISSION_DENIED, PodCreationError.reason(400,
                "admission webhook \"policy.example.com\" denied the request: no GPUs on weekends"));
        assertEquals(PodCreationError.INVALID, PodCreationError.reason(422, "Pod \"x\" is invalid: spec.nodeSelector"));
        assertEquals(PodCreationError.FORBIDDEN, PodCreationError.reason(403, "cannot create resource \"pods\""));
        assertEquals(PodCreationError.API_ERROR, PodCreationError.reason(500, "etcdserver: timeout"));
    }

    @Test
    void waitsGrowWithHowLongTheConditionHasLastedWithinBounds() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        SearchStatus since = new SearchStatus(null, null, null, null, List.of(new Condition(PodCreationError.CONDITION,
                "True", PodCreationError.QUOTA_EXCEEDED, "m", 1L, t0.toString())), 1L, null);
        Duration base = Duration.ofSeconds(10);
        Duration max = Duration.ofMinutes(5);
        assertEquals(base, PodCreationError.retryIn(null, t0, base, max));
        assertEquals(base, PodCreationError.retryIn(since, t0.plusSeconds(3), base, max));
        assertEquals(Duration.ofSeconds(40), PodCreationError.retryIn(since, t0.plusSeconds(40), base, max));
        assertEquals(max, PodCreationError.retryIn(since, t0.plusSeconds(4000), base, max));
    }
}
