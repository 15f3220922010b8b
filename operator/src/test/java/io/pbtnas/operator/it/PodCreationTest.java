package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.apply.PodCreationError;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pods the API server refuses: a condition and an event with the server's message, retried, never Failed. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class PodCreationTest {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    static Condition awaitRefused(Harness h, String name, String reason) {
        PbtNasSearch s = h.await(name, x -> x.getStatus() != null && x.getStatus().condition(ConditionType.POD_CREATION_FAILED.code())
                .map(c -> c.isTrue() && reason.equals(c.reason())).orElse(false), Duration.ofSeconds(40));
        assertNotEquals(Phase.FAILED, s.getStatus().phase(), Json.write(s.getStatus()));
        return s.getStatus().condition(ConditionType.POD_CREATION_FAILED.code()).orElseThrow();
    }

    @Test
    void anInvalidPodIsAConditionAndAnEventAndFixingTheSpecResumes() throws Exception {
        try (Harness h = new Harness("invalid-pod")) {
            // The CRD allows any map here; the API server rejects the pod (422): not a label key.
            h.create(Harness.searchYaml("bad", FaultsTest.FAST, 4, 1, "{}", "")
                    .replace("    resources: {requests: {cpu: \"1\"}}\n",
                            "    resources: {requests: {cpu: \"1\"}}\n    nodeSelector: {\"bad key!\": x}\n"));
            Condition c = awaitRefused(h, "bad", Reason.INVALID.code());
            assertTrue(c.message().contains("HTTP 422") && c.message().contains("bad key!"), c.message());
            assertTrue(h.eventReasons().contains(ConditionType.POD_CREATION_FAILED.code()), h.eventReasons().toString());

            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("bad")
                    .patch(MERGE, "{\"spec\": {\"trainer\": {\"nodeSelector\": null}}}");
            PbtNasSearch done = h.awaitPhase("bad", Phase.COMPLETE, Duration.ofMinutes(2));
            assertTrue(done.getStatus().condition(ConditionType.POD_CREATION_FAILED.code()).isEmpty(), Json.write(done.getStatus()));
        }
    }

    @Test
    void anExhaustedQuotaWaitsAndTheSearchGoesOnWhenItFrees() throws Exception {
        try (Harness h = new Harness("quota")) {
            ResourceQuota quota = h.client.resourceQuotas().inNamespace(h.namespace).resource(new ResourceQuotaBuilder()
                    .withNewMetadata().withName("no-pods").endMetadata()
                    .withNewSpec().withHard(Map.of("pods", new Quantity("0"))).endSpec().build()).create();
            // No quota controller runs on this tier: write the usage it would write.
            quota.setStatus(new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
                    .withHard(Map.of("pods", new Quantity("0"))).withUsed(Map.of("pods", new Quantity("0"))).build());
            h.client.resourceQuotas().inNamespace(h.namespace).resource(quota).updateStatus();

            h.create(Harness.searchYaml("q", FaultsTest.FAST, 4, 1, "{}", ""));
            Condition c = awaitRefused(h, "q", Reason.QUOTA_EXCEEDED.code());
            assertTrue(c.message().startsWith("waiting for quota: ") && c.message().contains("HTTP 403")
                    && c.message().contains("exceeded quota"), c.message());
            assertTrue(h.eventReasons().contains(ConditionType.POD_CREATION_FAILED.code()), h.eventReasons().toString());

            h.client.resourceQuotas().inNamespace(h.namespace).withName("no-pods").delete();
            PbtNasSearch done = h.awaitPhase("q", Phase.COMPLETE, Duration.ofMinutes(2));
            assertEquals(4, done.getStatus().members().size());
        }
    }
}
