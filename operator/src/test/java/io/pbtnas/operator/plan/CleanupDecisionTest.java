package io.pbtnas.operator.plan;

import io.pbtnas.operator.apply.PodCreationError;
import io.pbtnas.operator.pods.PodLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanupDecisionTest {
    private static final Instant STARTED = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private static Pod member(boolean deleting) {
        Pod p = new PodBuilder().withNewMetadata().withName("s-m0-g0-a0").withLabels(PodLabels.member("s", 0, 0, 0))
                .endMetadata().withNewStatus().withPhase("Running").endStatus().build();
        if (deleting) {
            p.getMetadata().setDeletionTimestamp(STARTED.toString());
        }
        return p;
    }

    private static Pod cleaner(String phase, String unschedulable) {
        var b = new PodBuilder().withNewMetadata().withName("s-cleanup")
                .withLabels(Map.of(PodLabels.SEARCH, "s", PodLabels.ROLE, PodLabels.ROLE_CLEANUP)).endMetadata()
                .withNewStatus().withPhase(phase);
        if (unschedulable != null) {
            b.addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage(unschedulable).endCondition();
        }
        return b.endStatus().build();
    }

    private static CleanupDecision decide(List<Pod> pods, Pod cleaner, boolean delete, Duration after) {
        return CleanupDecision.decide(pods, cleaner, delete, "ns/s", STARTED, STARTED.plus(after), TIMEOUT);
    }

    @Test
    void podsAreStoppedBeforeAnyFileIsDeleted() {
        Pod running = member(false);
        var d = decide(List.of(running), null, true, Duration.ZERO);
        assertEquals(List.of(running), assertInstanceOf(CleanupDecision.StopPods.class, d).undeleted());
        assertInstanceOf(CleanupDecision.Wait.class, decide(List.of(member(true)), null, true, Duration.ZERO));
    }

    @Test
    void withRetentionDeleteACleanerRunsAndItsSuccessReleasesTheSearch() {
        assertInstanceOf(CleanupDecision.StartCleaner.class, decide(List.of(), null, true, Duration.ZERO));
        Pod done = cleaner("Succeeded", null);
        var r = assertInstanceOf(CleanupDecision.Release.class, decide(List.of(done), done, true, Duration.ofSeconds(5)));
        assertTrue(r.checkpointsDeleted());
        assertEquals(done, r.cleaner());
    }

    @Test
    void withoutRetentionDeleteTheSearchGoesOnceItsPodsAre() {
        var r = assertInstanceOf(CleanupDecision.Release.class, decide(List.of(), null, false, Duration.ZERO));
        assertFalse(r.checkpointsDeleted());
        assertNull(r.message());
    }

    @Test
    void aStuckCleanerIsNamedWhileWaitingAndTheSearchIsReleasedAfterTheTimeoutSayingWhatIsLeft() {
        Pod stuck = cleaner("Pending", "0/1 nodes are available: node(s) had untolerated taint");
        var w = assertInstanceOf(CleanupDecision.Wait.class, decide(List.of(stuck), stuck, true, Duration.ofMinutes(1)));
        assertTrue(w.message().contains("Unschedulable") && w.message().contains("untolerated taint"), w.message());
        var r = assertInstanceOf(CleanupDecision.Release.class, decide(List.of(stuck), stuck, true, Duration.ofMinutes(11)));
        assertFalse(r.checkpointsDeleted());
        assertTrue(r.message().contains("within 600s") && r.message().contains("ns/s")
                && r.message().contains("remove them by hand"), r.message());
        assertEquals(stuck, r.cleaner(), "the stuck cleaner is deleted too");
    }

    @Test
    void podsStuckTerminatingDoNotHoldTheSearchPastTheTimeout() {
        assertInstanceOf(CleanupDecision.Wait.class, decide(List.of(member(true)), null, true, Duration.ofMinutes(9)));
        var r = assertInstanceOf(CleanupDecision.Release.class,
                decide(List.of(member(true)), null, true, Duration.ofMinutes(11)));
        assertTrue(r.message().contains("still terminating"), r.message());
    }

    @Test
    void aNamespaceBeingDeletedIsRecognisedFromTheServersRefusal() {
        var refused = new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("pods \"s-cleanup\" is forbidden: unable to create new content in namespace ns because "
                        + "it is being terminated").build());
        assertTrue(new PodCreationError("s-cleanup", refused).refusal().namespaceTerminating());
        var quota = new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("exceeded quota: pods").build());
        assertFalse(new PodCreationError("s-cleanup", quota).refusal().namespaceTerminating());
    }
}
