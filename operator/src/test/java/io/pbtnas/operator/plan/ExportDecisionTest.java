package io.pbtnas.operator.plan;

import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodLabels;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.status.Reason;
import io.pbtnas.core.status.SearchConditions;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExportDecisionTest {
    static final Instant NOW = Instant.parse("2025-01-01T00:00:10Z");

    static SearchStatus status(Phase phase, Condition... conditions) {
        return new SearchStatus(phase, 2, new BestMember(3, 0.8, Map.of("cell0", "skip"),
                "members/3/gen-2/model.safetensors", 2), List.of(), List.of(conditions), 1L, null);
    }

    static Pod pod(int attempt, String phase, String finishedAt) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(PodLabels.exportPodName("s", attempt))
                .withLabels(PodLabels.export("s", attempt)).endMetadata()
                .withNewStatus().withPhase(phase).endStatus();
        if (finishedAt != null) {
            b.editStatus().addNewContainerStatus().withName(ContainerNames.EXPORT).withNewState().withNewTerminated()
                    .withExitCode(1).withMessage("disk full").withFinishedAt(finishedAt)
                    .endTerminated().endState().endContainerStatus().endStatus();
        }
        return b.build();
    }

    static ExportDecision.Result decide(SearchStatus engine, SearchStatus old, List<Pod> pods) {
        return ExportDecision.decide("s", engine, old, pods, 2, NOW, a -> Duration.ofSeconds(10L * a));
    }

    @Test
    void nothingIsExportedBeforeTheSearchIsComplete() {
        var r = decide(status(Phase.TRAINING), null, List.of());
        assertEquals(ConditionStatus.FALSE, r.fact().status());
        assertEquals(Reason.NOT_COMPLETE, r.fact().reason());
        assertTrue(r.create().isEmpty());
    }

    @Test
    void aCompleteSearchStartsAttemptZeroThenWaitsForIt() {
        var first = decide(status(Phase.COMPLETE), null, List.of());
        assertEquals(OptionalInt.of(0), first.create());
        assertEquals(Reason.EXPORTING, first.fact().reason());
        var running = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Running", null)));
        assertTrue(running.create().isEmpty());
        assertEquals(first.fact(), running.fact(), "no status churn while it runs");
    }

    @Test
    void aSucceededPodMakesExportedTrueAndTrueSticksEvenWithoutPods() {
        var done = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:00Z"),
                pod(1, "Succeeded", null)));
        assertEquals(ConditionStatus.TRUE, done.fact().status());
        assertTrue(done.fact().message().contains("best member 3"), done.fact().message());
        var later = decide(status(Phase.COMPLETE), status(Phase.COMPLETE, SearchConditions.fresh(null).exported(done.fact().reason(), done.fact().message())
                .build(1L, NOW).toArray(Condition[]::new)), List.of());
        assertEquals(ConditionStatus.TRUE, later.fact().status());
        assertTrue(later.create().isEmpty(), "a deleted export pod is not run again after success");
    }

    @Test
    void aFailedPodIsRetriedAfterBackoffThenGivenUp() {
        // Attempt 0 failed 5 s ago; the first retry waits 10 s.
        var waiting = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:05Z")));
        assertTrue(waiting.create().isEmpty());
        assertEquals(Duration.ofSeconds(5), waiting.retryIn());
        assertTrue(waiting.fact().message().contains("disk full"), waiting.fact().message());
        var retry = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:00Z")));
        assertEquals(OptionalInt.of(1), retry.create());
        assertNull(retry.retryIn());
        var exhausted = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:00Z"),
                pod(1, "Failed", "2025-01-01T00:00:01Z"), pod(2, "Failed", "2025-01-01T00:00:02Z")));
        assertTrue(exhausted.create().isEmpty());
        assertEquals(Reason.EXPORT_FAILED, exhausted.fact().reason());
        assertTrue(exhausted.fact().message().contains("attempt 3 of 3"), exhausted.fact().message());
    }
}
