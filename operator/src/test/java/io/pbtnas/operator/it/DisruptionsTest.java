package io.pbtnas.operator.it;

import io.pbtnas.operator.plan.SearchEvent;
import io.pbtnas.operator.pods.ContainerNames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Failures told apart (DESIGN.md §5): an eviction uses no retry, a trainer's exit 2 is not retried. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class DisruptionsTest {

    static boolean trainerRunning(Pod p) {
        return p != null && p.getStatus() != null && p.getStatus().getInitContainerStatuses() != null
                && p.getStatus().getInitContainerStatuses().stream().anyMatch(s -> ContainerNames.TRAINER.equals(s.getName())
                        && s.getState() != null && s.getState().getRunning() != null);
    }

    @Test
    void anEvictedMemberIsRetriedWithoutUsingARetryOnlyOnceItsPodIsGone() throws Exception {
        try (Harness h = new Harness("evict")) {
            // maxRetries 0: had the eviction counted as a failure, member 2 would fail for good.
            h.create(Harness.searchYaml("ev", FaultsTest.FAST, 4, 2, "{sleepMillis: 3000}",
                    "  failurePolicy: {maxRetries: 0}\n"));
            String victim = "ev-m2-g0-a0";
            h.client.pods().inNamespace(h.namespace).withName(victim)
                    .waitUntilCondition(DisruptionsTest::trainerRunning, 60, TimeUnit.SECONDS);
            assertTrue(h.client.pods().inNamespace(h.namespace).withName(victim).evict(), "the Eviction API refused");

            PbtNasSearch retrying = h.await("ev", s -> s.getStatus() != null && s.getStatus().member(2).attempts() == 1,
                    Duration.ofSeconds(60));
            MemberStatus m2 = retrying.getStatus().member(2);
            assertEquals(1, m2.disruptionCount(), Json.write(m2));
            assertEquals(0, m2.retriesUsed(), Json.write(m2));
            assertTrue(m2.message().contains("disrupted, retried without using a retry")
                    && m2.message().contains("EvictionByEvictionAPI"), m2.message());

            PbtNasSearch done = h.awaitPhase("ev", Phase.COMPLETE, Duration.ofMinutes(3));
            assertEquals(2, done.getStatus().member(2).scores().size(), Json.write(done.getStatus()));
            assertTrue(done.getStatus().member(2).failedAt().isEmpty(), Json.write(done.getStatus()));
            Pod retry = h.lastSeen("ev-m2-g0-a1");
            assertNotNull(retry, "no retry pod: " + h.podHistory());
            assertEquals("Succeeded", retry.getStatus().getPhase());
            // The retry's pod was created only once the evicted pod was gone (it may still have written).
            List<String> history = h.podHistory();
            int gone = history.indexOf("deleted " + victim);
            int added = history.indexOf("added ev-m2-g0-a1");
            assertTrue(gone >= 0 && added > gone, "retry created before the evicted pod was gone: " + history);
            assertTrue(h.eventReasons().contains(SearchEvent.POD_DISRUPTED), h.eventReasons().toString());
        }
    }

    @Test
    void aTrainerExitingTwoFailsTheMemberAtOnceWithItsMessage() throws Exception {
        try (Harness h = new Harness("badinput")) {
            h.kubelet.failNext("^bad-m1-g0-a0$", ContainerNames.TRAINER, 2);
            h.create(Harness.searchYaml("bad", FaultsTest.FAST, 4, 2, "{sleepMillis: 3000}",
                    "  failurePolicy: {maxRetries: 2}\n"));
            PbtNasSearch failed = h.await("bad", s -> s.getStatus() != null
                    && s.getStatus().member(1).failedAt().contains(0), Duration.ofSeconds(60));
            String msg = failed.getStatus().member(1).message();
            if (msg != null) { // null once the generation settled and the slot got a child
                assertTrue(msg.contains("bad input, not retried") && msg.contains("exited with 2"), msg);
            }
            PbtNasSearch done = h.awaitPhase("bad", Phase.COMPLETE, Duration.ofMinutes(3));
            assertEquals(List.of(0), done.getStatus().member(1).failedAt(), Json.write(done.getStatus()));
            assertNull(h.lastSeen("bad-m1-g0-a1"), "maxRetries 2, yet exit 2 must not be retried: " + h.podHistory());
            assertTrue(h.client.v1().events().inNamespace(h.namespace).list().getItems().stream()
                    .anyMatch(e -> SearchEvent.POD_FAILED.equals(e.getReason())
                            && e.getMessage().contains("exited with 2")), h.eventReasons().toString());
        }
    }
}
