package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.Condition;
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
            b.editStatus().addNewContainerStatus().withName(PodFactory.EXPORT).withNewState().withNewTerminated()
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
        assertEquals("False", r.condition().status());
        assertEquals(ExportDecision.NOT_COMPLETE, r.condition().reason());
        assertTrue(r.create().isEmpty());
    }

    @Test
    void aCompleteSearchStartsAttemptZeroThenWaitsForIt() {
        var first = decide(status(Phase.COMPLETE), null, List.of());
        assertEquals(OptionalInt.of(0), first.create());
        assertEquals(ExportDecision.EXPORTING, first.condition().reason());
        var running = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Running", null)));
        assertTrue(running.create().isEmpty());
        assertEquals(first.condition(), running.condition(), "no status churn while it runs");
    }

    @Test
    void aSucceededPodMakesExportedTrueAndTrueSticksEvenWithoutPods() {
        var done = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:00Z"),
                pod(1, "Succeeded", null)));
        assertEquals("True", done.condition().status());
        assertTrue(done.condition().message().contains("best member 3"), done.condition().message());
        var later = decide(status(Phase.COMPLETE), status(Phase.COMPLETE, done.condition()), List.of());
        assertEquals("True", later.condition().status());
        assertTrue(later.create().isEmpty(), "a deleted export pod is not run again after success");
    }

    @Test
    void aFailedPodIsRetriedAfterBackoffThenGivenUp() {
        // Attempt 0 failed 5 s ago; the first retry waits 10 s.
        var waiting = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:05Z")));
        assertTrue(waiting.create().isEmpty());
        assertEquals(Duration.ofSeconds(5), waiting.retryIn());
        assertTrue(waiting.condition().message().contains("disk full"), waiting.condition().message());
        var retry = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:00Z")));
        assertEquals(OptionalInt.of(1), retry.create());
        assertNull(retry.retryIn());
        var exhausted = decide(status(Phase.COMPLETE), null, List.of(pod(0, "Failed", "2025-01-01T00:00:00Z"),
                pod(1, "Failed", "2025-01-01T00:00:01Z"), pod(2, "Failed", "2025-01-01T00:00:02Z")));
        assertTrue(exhausted.create().isEmpty());
        assertEquals(ExportDecision.EXPORT_FAILED, exhausted.condition().reason());
        assertTrue(exhausted.condition().message().contains("attempt 3 of 3"), exhausted.condition().message());
    }
}
