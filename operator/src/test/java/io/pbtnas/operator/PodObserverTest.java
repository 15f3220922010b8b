package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodObserverTest {

    private static Pod pod(int m, int g, int a, String phase, String container, int exit, String message) {
        return new PodBuilder()
                .withNewMetadata().withName("s-m" + m + "-g" + g + "-a" + a)
                    .withLabels(PodLabels.member("s", m, g, a)).endMetadata()
                .withNewStatus().withPhase(phase)
                    .addNewContainerStatus().withName(container).withNewState().withNewTerminated()
                        .withExitCode(exit).withMessage(message).withReason(exit == 0 ? "Completed" : "Error")
                    .endTerminated().endState().endContainerStatus()
                .endStatus().build();
    }

    @Test
    void succeededPodGivesTheScoreOfItsTerminationMessage() {
        List<MemberResult> r = PodObserver.results(List.of(
                pod(3, 1, 0, "Succeeded", PodFactory.TRAINER, 0, "{\"score\": 0.875, \"epoch\": 2}")));
        assertEquals(List.of(new MemberResult(3, 1, 0, Outcome.SUCCEEDED, 0.875, null)), r);
    }

    @Test
    void succeededPodWithoutAScoreIsAFailureThatSaysWhatTheTrainerMustWrite() {
        MemberResult r = PodObserver.results(List.of(pod(0, 0, 0, "Succeeded", PodFactory.TRAINER, 0, "done"))).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("not JSON"), r.message());
        MemberResult empty = PodObserver.results(List.of(pod(0, 0, 0, "Succeeded", PodFactory.TRAINER, 0, ""))).get(0);
        assertTrue(empty.message().contains("PBTNAS_TERMINATION_LOG"), empty.message());
    }

    @Test
    void failedPodNamesTheContainerAndExitCode() {
        MemberResult r = PodObserver.results(List.of(pod(1, 2, 1, "Failed", PodFactory.MIX, 2, "bad plan"))).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(1, r.attempt());
        assertTrue(r.message().contains("container mix exited with 2") && r.message().contains("bad plan"), r.message());
    }

    @Test
    void runningPodsGiveNoResultButDeletedOnesFail() {
        Pod running = pod(0, 0, 0, "Running", PodFactory.TRAINER, 0, null);
        assertTrue(PodObserver.results(List.of(running)).isEmpty());
        running.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        MemberResult r = PodObserver.results(List.of(running)).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("deleted"), r.message());
    }

    @Test
    void podsWithoutMemberLabelsAreIgnored() {
        Pod other = new PodBuilder().withNewMetadata().withName("x").endMetadata()
                .withNewStatus().withPhase("Failed").endStatus().build();
        assertTrue(PodObserver.results(List.of(other)).isEmpty());
    }
}
