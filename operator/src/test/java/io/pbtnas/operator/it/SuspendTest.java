package io.pbtnas.operator.it;

import io.pbtnas.core.model.ConditionStatus;

import io.pbtnas.core.status.ConditionType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.testkit.StatusRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** spec.suspend: no new pods while true (running steps finish and count), condition Suspended; false resumes. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class SuspendTest {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    @Test
    void suspendingLetsRunningStepsFinishAndCreatesNoPodUntilResumed() throws Exception {
        try (Harness h = new Harness("suspend")) {
            h.create(Harness.searchYaml("su", FaultsTest.FAST, 4, 2, "{sleepMillis: 3000}", "  parallelism: 2\n"));
            // Suspended mid-step, while the trainer runs (sleeping 3 s): phase Running would mean only
            // `pbtnas verify` is left, and a step recorded before the suspension frees a slot for a new pod.
            h.client.pods().inNamespace(h.namespace).withName("su-m0-g0-a0")
                    .waitUntilCondition(DisruptionsTest::trainerRunning, 60, TimeUnit.SECONDS);
            // The patch's response: the new generation, with the status still of the one before.
            var edited = h.client.genericKubernetesResources("pbtnas.io/v1alpha1", "PbtNasSearch").inNamespace(h.namespace)
                    .withName("su").patch(MERGE, "{\"spec\": {\"suspend\": true}}");
            StatusRecorder.record(h.client, edited, "stale-observed-generation");
            PbtNasSearch suspended = h.await("su", s -> isTrue(s, ConditionType.SUSPENDED.code()), Duration.ofSeconds(30));
            assertEquals(Phase.TRAINING, suspended.getStatus().phase());
            h.record("su", "suspended");

            // The two steps that were running finish and are recorded; nothing new starts.
            PbtNasSearch recorded = h.await("su", s -> s.getStatus().member(0).scores().size() == 1
                    && s.getStatus().member(1).scores().size() == 1, Duration.ofSeconds(60));
            Thread.sleep(5000);
            List<String> pods = h.seenMemberPods("su").stream().map(p -> p.getMetadata().getName()).sorted().toList();
            assertEquals(List.of("su-m0-g0-a0", "su-m1-g0-a0"), pods, "pods created while suspended: " + h.podSummary("su"));
            assertTrue(isTrue(h.get("su"), ConditionType.SUSPENDED.code()), Json.write(recorded.getStatus()));

            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("su")
                    .patch(MERGE, "{\"spec\": {\"suspend\": false}}");
            PbtNasSearch done = h.awaitPhase("su", Phase.COMPLETE, Duration.ofMinutes(3));
            Condition resumed = done.getStatus().condition(ConditionType.SUSPENDED.code()).orElseThrow();
            assertEquals(ConditionStatus.FALSE, resumed.status(), Json.write(done.getStatus()));
            assertEquals("Resumed", resumed.reason());
            for (int m = 0; m < 4; m++) {
                assertEquals(2, done.getStatus().member(m).scores().size(), Json.write(done.getStatus()));
            }
            Pod first = h.lastSeen("su-m0-g0-a0");
            assertEquals("Succeeded", first.getStatus().getPhase(), "the step running at suspension was not retried");
        }
    }

    private static boolean isTrue(PbtNasSearch s, String type) {
        return s != null && s.getStatus() != null
                && s.getStatus().condition(type).map(c -> c.isTrue()).orElse(false);
    }
}
