package io.pbtnas.operator.plan;

import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.engine.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberPodPlanTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static Action.Train train(int member, int generation, int attempt) {
        return new Action.Train(member, generation, attempt, generation, generation + 1, null, null, null, Map.of());
    }

    private static Pod pod(int member, int generation, int attempt, String phase, String finishedAt) {
        var b = new PodBuilder().withNewMetadata()
                .withName(PodLabels.memberPodName("s", member, generation, attempt))
                .withLabels(PodLabels.member("s", member, generation, attempt)).endMetadata()
                .withNewStatus().withPhase(phase);
        if (finishedAt != null) {
            b.addNewContainerStatus().withName(ContainerNames.VERIFY).withNewState().withNewTerminated()
                    .withExitCode(1).withFinishedAt(finishedAt).endTerminated().endState().endContainerStatus();
        }
        return b.endStatus().build();
    }

    private static MemberPodPlan plan(int parallelism, boolean suspended, List<Pod> pods, List<Action> actions) {
        return MemberPodPlan.of("s", parallelism, suspended, pods, actions, NOW, a -> Duration.ofSeconds(10L * a));
    }

    @Test
    void createsInGenerationThenMemberOrderUpToParallelismCountingRunningPods() {
        List<Action> actions = List.of(train(3, 0, 0), train(1, 0, 0), train(2, 0, 0), train(0, 0, 0));
        MemberPodPlan p = plan(3, false, List.of(pod(0, 0, 0, "Running", null)), actions);
        assertEquals(List.of(1, 2), p.create().stream().map(Action.Train::member).toList());
        assertTrue(p.delete().isEmpty());
        assertNull(p.retryIn());
    }

    @Test
    void aRetryWaitsForItsBackoffAfterThePreviousAttemptFinished() {
        List<Pod> pods = List.of(pod(0, 0, 0, "Failed", "2026-12-01T11:59:55Z"));
        MemberPodPlan waiting = plan(4, false, pods, List.of(train(0, 0, 1)));
        assertTrue(waiting.create().isEmpty());
        assertEquals(Duration.ofSeconds(5), waiting.retryIn());
        MemberPodPlan due = MemberPodPlan.of("s", 4, false, pods, List.of(train(0, 0, 1)), NOW.plusSeconds(6),
                a -> Duration.ofSeconds(10L * a));
        assertEquals(List.of(train(0, 0, 1)), due.create());
    }

    @Test
    void anActivePodTheEngineNoLongerWantsIsDeleted() {
        Pod superseded = pod(0, 0, 0, "Running", null);
        MemberPodPlan p = plan(4, false, List.of(superseded), List.of(train(0, 1, 0)));
        assertEquals(List.of(superseded), p.delete());
        assertEquals(List.of(train(0, 1, 0)), p.create());
    }

    @Test
    void suspendedCreatesNothingAndLeavesRunningPodsAlone() {
        Pod running = pod(0, 0, 0, "Running", null);
        MemberPodPlan p = plan(4, true, List.of(running), List.of(train(0, 0, 0), train(1, 0, 0)));
        assertTrue(p.create().isEmpty(), p.toString());
        assertTrue(p.delete().isEmpty(), p.toString());
        assertNull(p.retryIn());
    }
    @Test
    void aRetryWaitsUntilThePreviousAttemptsPodIsGoneNotJustDeleted() {
        // Evicted: deletionTimestamp set, still Running in its grace period (it may still write outputs).
        Pod terminating = pod(0, 1, 0, "Running", null);
        terminating.getMetadata().setDeletionTimestamp("2026-12-01T11:59:59Z");
        MemberPodPlan waiting = plan(4, false, List.of(terminating), List.of(train(0, 1, 1), train(1, 1, 0)));
        assertEquals(List.of(train(1, 1, 0)), waiting.create(), "other members go on; member 0 waits");
        assertTrue(waiting.delete().isEmpty(), "already being deleted");
        // An earlier attempt not even deleted yet blocks too (it is deleted as superseded first).
        Pod stillRunning = pod(0, 1, 0, "Running", null);
        MemberPodPlan superseded = plan(4, false, List.of(stillRunning), List.of(train(0, 1, 1)));
        assertTrue(superseded.create().isEmpty(), superseded.toString());
        assertEquals(List.of(stillRunning), superseded.delete());
        // Once the old pod has ended (terminal) or is gone, the retry starts.
        Pod ended = pod(0, 1, 0, "Failed", null);
        ended.getMetadata().setDeletionTimestamp("2026-12-01T11:59:00Z"); // past its backoff
        assertEquals(List.of(train(0, 1, 1)), plan(4, false, List.of(ended), List.of(train(0, 1, 1))).create());
        assertEquals(List.of(train(0, 1, 1)), plan(4, false, List.of(), List.of(train(0, 1, 1))).create());
    }
}
