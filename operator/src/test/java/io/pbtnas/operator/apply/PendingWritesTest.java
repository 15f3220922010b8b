package io.pbtnas.operator.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a reconcile sees of the pod writes still under way: no pod lost, none planned or deleted twice. */
class PendingWritesTest {
    private static final ResourceID S = new ResourceID("s", "ns");
    private static final ResourceID OTHER = new ResourceID("t", "ns");

    static Pod pod(String name, String phase) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
    }

    @Test
    void aPodBeingCreatedIsSeenUntilTheCacheHasItAndOnlyOnce() {
        PendingWrites w = new PendingWrites();
        Pod planned = new PodBuilder().withNewMetadata().withName("s-m1-g0-a0").endMetadata().build();
        w.creating(S, planned);
        assertEquals(List.of("s-m0-g0-a0", "s-m1-g0-a0"), names(w.observe(S, () -> List.of(pod("s-m0-g0-a0", "Running")))));
        assertEquals(List.of(), names(w.observe(OTHER, List::of)), "another search sees none of it");

        // The cache has it (JOSDK's temporary cache, filled by the create) before it leaves the pending list:
        // the cache's copy wins, and the pod is there once.
        List<Pod> both = w.observe(S, () -> List.of(pod("s-m1-g0-a0", "Pending")));
        assertEquals(1, both.size());
        assertEquals("Pending", both.get(0).getStatus().getPhase());

        w.created(S, planned);
        assertEquals(List.of(), names(w.observe(S, List::of)), "created and gone from the cache: not invented");
    }

    @Test
    void aDeleteIsSentOnceWhileTheCacheStillShowsThePodFinished() {
        PendingWrites w = new PendingWrites();
        Pod done = pod("s-m0-g0-a0", "Succeeded");
        assertTrue(w.deleting(S, done));
        w.observe(S, () -> List.of(done));
        assertFalse(w.deleting(S, done), "the cache has not caught up: not sent again");

        Pod terminating = new PodBuilder(done).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build();
        w.observe(S, () -> List.of(terminating));
        assertTrue(w.deleting(S, done), "the cache saw the delete: a pod of that name again is a new one");
    }

    @Test
    void aFailedDeleteIsSentAgain() {
        PendingWrites w = new PendingWrites();
        Pod done = pod("s-m0-g0-a0", "Succeeded");
        assertTrue(w.deleting(S, done));
        w.deleteFailed(S, done);
        assertTrue(w.deleting(S, done));
    }
}
