package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.plan.SearchEvent;
import io.pbtnas.operator.pods.KueueLabels;
import io.pbtnas.operator.pods.PodLabels;
import io.pbtnas.testkit.PodRecorder;
import io.pbtnas.testkit.kueue.AdmittedTrace;
import io.pbtnas.testkit.kueue.TestKueue;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A search under a real Kueue (testkit's TestKueue on the same API server): its member pods are gated,
 * admitted within the ClusterQueue's GPU quota, and the search reads them as Queued, never Stuck.
 * Pods here finish rather than being deleted while admitted: this tier has no garbage collector for
 * the Workloads of deleted pods (preemption is tested on the real node).
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class KueueQuotaTest {
    static final String QUEUE = KueueQueues.QUEUE;

    static void queues(Harness h, int gpus) {
        KueueQueues.create(h, gpus);
    }

    static void deleteQueues(Harness h) {
        KueueQueues.delete(h);
    }

    /** One GPU per member; {@code queued}: the search carries the queue label. */
    static String gpuSearch(String name, int population, int generations, String args, boolean queued) {
        String yaml = Harness.searchYaml(name, FaultsTest.FAST, population, generations, args, "  parallelism: " + population + "\n")
                .replace("resources: {requests: {cpu: \"1\"}}",
                        "resources: {requests: {cpu: \"1\"}, limits: {nvidia.com/gpu: \"1\"}}");
        return queued ? yaml.replace("metadata: {name: " + name + "}",
                "metadata: {name: " + name + ", labels: {" + KueueLabels.QUEUE_NAME + ": " + QUEUE + "}}") : yaml;
    }

    /** Admitted and not finished: what holds a ClusterQueue's quota. */
    /** The search's member pods' admitted count after each recorded change. */
    static AdmittedTrace admittedTrace(List<PodRecorder.Seen> versions, String search) {
        return AdmittedTrace.of(versions, p -> p.getMetadata().getLabels() != null
                && search.equals(p.getMetadata().getLabels().get(PodLabels.SEARCH))
                && PodLabels.ROLE_MEMBER.equals(p.getMetadata().getLabels().get(PodLabels.ROLE)));
    }

    static Condition condition(PbtNasSearch s, ConditionType type) {
        return s.getStatus() == null ? null : s.getStatus().condition(type.code()).orElse(null);
    }

    @Test
    void aSearchOfFourOneGpuMembersNeverHasMoreThanTheQuotasTwoAdmittedAndCompletes() throws Exception {
        TestKueue kueue = TestKueue.shared();
        try (Harness h = new Harness("quota", 8, kueue)) {
            queues(h, 2);
            try {
                h.create(gpuSearch("q", 4, 2, "{sleepMillis: 1500}", true));

                PbtNasSearch queued = h.await("q", s -> condition(s, ConditionType.QUEUED) != null
                        && condition(s, ConditionType.QUEUED).isTrue(), Duration.ofSeconds(60));
                Condition q = condition(queued, ConditionType.QUEUED);
                assertEquals("WaitingForAdmission", q.reason());
                assertTrue(q.message().matches("\\d member pods? waits? for admission in LocalQueue " + QUEUE), q.message());
                Condition stuck = condition(queued, ConditionType.STUCK);
                assertTrue(stuck == null || !stuck.isTrue(), "a queued pod read as stuck: " + Json.write(stuck));

                PbtNasSearch done = h.awaitPhase("q", Phase.COMPLETE, Duration.ofMinutes(3));
                Condition cleared = condition(done, ConditionType.QUEUED);
                assertEquals(ConditionStatus.FALSE, cleared.status(), Json.write(cleared));
                assertEquals("Admitted", cleared.reason());

                AdmittedTrace trace = admittedTrace(h.podVersions(), "q");
                System.out.println("[kueue-quota] admitted member pods (ClusterQueue 2 GPUs, population 4, parallelism 4):\n  "
                        + trace);
                assertEquals(2, trace.max(), "at most the quota's 2 member pods admitted or running at once, and the"
                        + " quota used: " + trace);
                List<Pod> members = h.seenMemberPods("q");
                assertEquals(8, members.stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase())).count(),
                        "4 members x 2 steps: " + h.podSummary("q"));
                for (Pod p : members) {
                    assertEquals(QUEUE, p.getMetadata().getLabels().get(KueueLabels.QUEUE_NAME));
                }
                // every member pod came out of the API server gated: Kueue's webhook held each until admission
                for (Pod p : members) {
                    Pod first = h.podVersions().stream().map(PodRecorder.Seen::pod)
                            .filter(v -> v.getMetadata().getName().equals(p.getMetadata().getName())).findFirst().orElseThrow();
                    assertTrue(KueueLabels.waitsForAdmission(first), p.getMetadata().getName() + " was never gated");
                }
                List<String> reasons = h.eventReasons();
                assertTrue(reasons.contains(SearchEvent.QUEUED) && reasons.contains(SearchEvent.ADMITTED), reasons.toString());
                assertFalse(reasons.contains(SearchEvent.POD_STUCK), reasons.toString());
            } finally {
                deleteQueues(h);
            }
        }
    }

    @Test
    void aSearchWithoutTheQueueLabelInAManagedNamespaceIsLeftAlone() throws Exception {
        TestKueue kueue = TestKueue.shared();
        try (Harness h = new Harness("unqueued", 8, kueue)) {
            queues(h, 2);
            try {
                h.create(gpuSearch("plain", 4, 1, "{sleepMillis: 200}", false));
                PbtNasSearch done = h.awaitPhase("plain", Phase.COMPLETE, Duration.ofMinutes(2));
                assertEquals(null, condition(done, ConditionType.QUEUED), "never queued: no Queued condition");
                assertTrue(h.podVersions().stream().noneMatch(v -> KueueLabels.waitsForAdmission(v.pod())),
                        "Kueue gated a pod of a search without the queue label");
                assertTrue(h.podVersions().stream().noneMatch(v -> v.pod().getMetadata().getLabels() != null
                        && v.pod().getMetadata().getLabels().containsKey(KueueLabels.QUEUE_NAME)));
            } finally {
                deleteQueues(h);
            }
        }
    }

    @Test
    void aSearchDeletedWhileItsPodsAreGatedIsGoneWithinTheCleanupBound() throws Exception {
        TestKueue kueue = TestKueue.shared();
        try (Harness h = new Harness("gateddel", 8, kueue)) {
            queues(h, 0); // no GPU quota: every member pod stays gated
            try {
                h.create(gpuSearch("held", 4, 2, "{sleepMillis: 200}", true));
                PbtNasSearch waiting = h.await("held", s -> condition(s, ConditionType.QUEUED) != null
                        && condition(s, ConditionType.QUEUED).message().startsWith("4 member pods wait"),
                        Duration.ofSeconds(60));
                assertTrue(condition(waiting, ConditionType.QUEUED).isTrue());

                h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("held").delete();
                h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("held")
                        .waitUntilCondition(s -> s == null, 60, TimeUnit.SECONDS);
                assertTrue(h.memberPods("held").isEmpty(), "member pods left: " + h.podSummary("held"));
                assertFalse(h.eventReasons().contains(SearchEvent.CLEANUP_INCOMPLETE), "the cleanup gave up: "
                        + h.eventReasons());
                assertTrue(h.seenMemberPods("held").stream().allMatch(p -> p.getStatus() == null
                        || p.getStatus().getStartTime() == null), "a gated pod was started");
            } finally {
                deleteQueues(h);
            }
        }
    }
}
