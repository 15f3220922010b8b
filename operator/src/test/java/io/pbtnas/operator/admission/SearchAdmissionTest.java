package io.pbtnas.operator.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.pbtnas.core.json.Json;
import org.junit.jupiter.api.Test;

class SearchAdmissionTest {
    static final String GOOD = """
            {"apiVersion": "pbtnas.io/v1alpha1", "kind": "PbtNasSearch", "metadata": {"name": "s", "namespace": "n"},
             "spec": {"population": 4, "generations": 2,
                      "searchSpace": {"genes": [{"name": "cell0", "options": ["conv3x3", "skip"]}]},
                      "trainer": {"image": "pbtnas/trainer:0.1.0", "task": "fashion-mnist"},
                      "storage": {"persistentVolumeClaim": {"claimName": "c"}}}}
            """;

    @Test
    void aValidCreateIsAllowedWithTheRequestsUid() {
        AdmissionReview out = SearchAdmission.review(review("CREATE", object(GOOD), null));
        assertEquals("admission.k8s.io/v1", out.getApiVersion());
        assertEquals("AdmissionReview", out.getKind());
        assertEquals("uid-1", out.getResponse().getUid());
        assertTrue(out.getResponse().getAllowed());
        assertNull(out.getResponse().getStatus());
    }

    @Test
    void anInvalidCreateIsDeniedNamingEveryFieldAsA422() {
        ObjectNode bad = object(GOOD);
        ObjectNode spec = (ObjectNode) bad.path("spec");
        spec.putObject("trainer").put("image", "pbtnas/trainer:0.1.0").put("task", "fashion-mnist")
                .putObject("resources").putObject("limits").put("memory", "lots");
        ((ObjectNode) spec.path("trainer")).putObject("labels").put("pbtnas.io/member", "1");
        AdmissionResponse r = SearchAdmission.review(review("CREATE", bad, null)).getResponse();
        assertFalse(r.getAllowed());
        assertEquals(422, r.getStatus().getCode());
        assertEquals("Invalid", r.getStatus().getReason());
        assertEquals("Failure", r.getStatus().getStatus());
        String message = r.getStatus().getMessage();
        assertTrue(message.startsWith("PbtNasSearch s is invalid: "), message);
        assertTrue(message.contains("spec.trainer.resources.limits.memory: 'lots' is not a Kubernetes quantity"), message);
        assertTrue(message.contains("spec.trainer.labels"), message);
        StatusCause memory = r.getStatus().getDetails().getCauses().stream()
                .filter(c -> c.getField().equals("spec.trainer.resources.limits.memory")).findFirst().orElseThrow();
        assertTrue(memory.getMessage().startsWith("'lots' is not a Kubernetes quantity"), memory.getMessage());
    }

    @Test
    void anUpdateIsJudgedOnlyWhenTheSpecChanged() {
        ObjectNode bad = invalid();
        // The same invalid spec, metadata edited (a label, the finalizer removed): allowed, so it can always be deleted.
        ObjectNode relabelled = bad.deepCopy();
        ((ObjectNode) relabelled.path("metadata")).putObject("labels").put("team", "a");
        assertTrue(SearchAdmission.review(review("UPDATE", relabelled, bad)).getResponse().getAllowed());
        // The spec edited into an invalid one: denied.
        assertFalse(SearchAdmission.review(review("UPDATE", bad, object(GOOD))).getResponse().getAllowed());
        assertTrue(SearchAdmission.review(review("UPDATE", object(GOOD), bad)).getResponse().getAllowed());
    }

    @Test
    void anObjectBeingDeletedAndOtherOperationsAreAllowed() {
        ObjectNode bad = invalid();
        assertFalse(SearchAdmission.review(review("UPDATE", bad, object(GOOD))).getResponse().getAllowed());
        ObjectNode deleting = bad.deepCopy();
        ((ObjectNode) deleting.path("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
        assertTrue(SearchAdmission.review(review("UPDATE", deleting, object(GOOD))).getResponse().getAllowed());
        assertTrue(SearchAdmission.review(review("DELETE", Json.MAPPER.nullNode(), bad)).getResponse().getAllowed());
    }

    @Test
    void aSpecCoreCannotReadIsDeniedNotAllowed() {
        ObjectNode odd = object(GOOD);
        ((ObjectNode) odd.path("spec")).put("fieldFromANewerCrd", 1);
        AdmissionResponse r = SearchAdmission.review(review("CREATE", odd, null)).getResponse();
        assertFalse(r.getAllowed());
        assertTrue(r.getStatus().getMessage().contains("spec: cannot be read"), r.getStatus().getMessage());
    }

    @Test
    void theResponseIsWhatTheApiServerReads() throws Exception {
        JsonNode wire = Json.MAPPER.readTree(Json.write(SearchAdmission.review(review("CREATE", object(GOOD), null))));
        assertEquals("uid-1", wire.path("response").path("uid").asText());
        assertTrue(wire.path("response").path("allowed").asBoolean());
        assertEquals("admission.k8s.io/v1", wire.path("apiVersion").asText());
    }

    @Test
    void theFieldIsThePathBeforeTheFirstColon() {
        assertEquals("spec.population", SearchAdmission.field("spec.population: too small: use 3"));
        assertEquals("spec", SearchAdmission.field("no path here"));
    }

    /** Passes the CRD's schema, fails SpecValidator: a memory limit that is no quantity. */
    static ObjectNode invalid() {
        ObjectNode bad = object(GOOD);
        ((ObjectNode) bad.path("spec").path("trainer")).putObject("resources").putObject("limits").put("memory", "lots");
        return bad;
    }

    /** The chart's ValidatingWebhookConfiguration calls the path the operator serves. */
    @Test
    void theChartCallsThePathTheOperatorServes() throws Exception {
        String template = java.nio.file.Files.readString(java.nio.file.Path.of("..", "helm", "pbtnas", "templates",
                "webhook.yaml"));
        assertTrue(template.contains("path: " + SearchAdmission.PATH + "\n"), "helm/pbtnas/templates/webhook.yaml");
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode review(String operation, JsonNode object, JsonNode old) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode req = r.putObject("request").put("uid", "uid-1").put("operation", operation).put("name", "s")
                .put("namespace", "n");
        req.set("object", object);
        if (old != null) {
            req.set("oldObject", old);
        }
        return r;
    }
}
