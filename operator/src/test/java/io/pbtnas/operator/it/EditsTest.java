package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Edits the CRD allows but the engine cannot honour pause a search; fixing the spec resumes it. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class EditsTest {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    @Test
    void anInvalidEditPausesTheSearchWithoutDeletingPodsAndFixingItResumes() throws Exception {
        try (Harness h = new Harness("edit")) {
            h.create(Harness.searchYaml("ed", FaultsTest.FAST, 4, 2, "{sleepMillis: 4000}", ""));
            // Mid-step: its trainer runs (sleeping 4 s). Phase Running would mean the trainer, an init
            // container, is done already and only `pbtnas verify` is left: the step could end before the edit.
            String running = "ed-m0-g0-a0";
            h.client.pods().inNamespace(h.namespace).withName(running)
                    .waitUntilCondition(DisruptionsTest::trainerRunning, 60, TimeUnit.SECONDS);
            // Valid for the schema, invalid for the engine: a contract variable in trainer.env.
            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("ed")
                    .patch(MERGE, "{\"spec\": {\"trainer\": {\"env\": {\"PBTNAS_SEED\": \"1\"}}}}");
            PbtNasSearch paused = h.await("ed", s -> s.getStatus() != null
                    && s.getStatus().condition(ConditionType.PAUSED.code()).map(c -> c.isTrue())
                    .orElse(false), Duration.ofSeconds(30));
            Condition why = paused.getStatus().condition(ConditionType.PAUSED.code()).orElseThrow();
            assertTrue(why.message().contains("spec.trainer.env.PBTNAS_SEED"), why.message());
            h.record("ed", "paused");
            assertEquals(Phase.TRAINING, paused.getStatus().phase(), "paused, not failed: " + Json.write(paused.getStatus()));
            Pod pod = h.client.pods().inNamespace(h.namespace).withName(running).get();
            assertNotNull(pod, "the running pod was deleted for an invalid edit");
            assertNull(pod.getMetadata().getDeletionTimestamp(), "the running pod is being deleted");
            assertFalse(Set.of("Succeeded", "Failed").contains(pod.getStatus().getPhase()),
                    "the step still runs while the search is paused: " + pod.getStatus().getPhase());

            // The fix (remove the variable) resumes the search; it completes with every score.
            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("ed")
                    .patch(MERGE, "{\"spec\": {\"trainer\": {\"env\": null}}}");
            PbtNasSearch done = h.awaitPhase("ed", Phase.COMPLETE, Duration.ofMinutes(3));
            assertTrue(done.getStatus().condition(ConditionType.PAUSED.code()).isEmpty(), Json.write(done.getStatus()));
            assertEquals(2, done.getStatus().member(0).scores().size(), Json.write(done.getStatus()));
            Pod after = h.lastSeen(running); // deleted once its result was recorded
            assertEquals("Succeeded", after.getStatus().getPhase(), "the step that ran during the pause counted");
        }
    }
}
