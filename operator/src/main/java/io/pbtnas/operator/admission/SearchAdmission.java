package io.pbtnas.operator.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.validation.SpecValidator;
import java.util.List;

/**
 * The validating admission webhook's decision: an AdmissionReview (admission.k8s.io/v1) of a
 * PbtNasSearch in, the review with its response out. The rules are {@link SpecValidator#problems},
 * the ones the operator pauses a search for, so admission and reconcile can never disagree; the
 * CRD's schema and CEL rules have run before the API server calls this. Pure.
 *
 * <p>CREATE is judged. UPDATE is judged only when {@code spec} changed: a metadata-only edit (a
 * label, the finalizer's removal) always passes, so any object admitted earlier can be deleted.
 * An object being deleted, and any other operation, is allowed.
 */
public final class SearchAdmission {
    /** Where the operator serves the webhook; the chart's ValidatingWebhookConfiguration names it. */
    public static final String PATH = "/admission/validate-pbtnassearch";

    private SearchAdmission() {
    }

    /** The answer to {@code review}: its uid, allowed or denied with every problem. */
    public static AdmissionReview review(JsonNode review) {
        JsonNode request = review.path("request");
        List<String> problems = problems(request.path("operation").asText(), request.path("object"),
                request.path("oldObject"));
        AdmissionResponseBuilder response = new AdmissionResponseBuilder()
                .withUid(request.path("uid").asText())
                .withAllowed(problems.isEmpty());
        if (!problems.isEmpty()) {
            response.withStatus(denial(request, problems));
        }
        return new AdmissionReviewBuilder()
                .withApiVersion("admission.k8s.io/v1")
                .withKind("AdmissionReview")
                .withResponse(response.build())
                .build();
    }

    /** What is wrong with the object for this operation; empty: allowed. */
    static List<String> problems(String operation, JsonNode object, JsonNode oldObject) {
        boolean deleting = object.path("metadata").hasNonNull("deletionTimestamp");
        boolean judged = switch (operation) {
            case "CREATE" -> true;
            case "UPDATE" -> !deleting && !object.path("spec").equals(oldObject.path("spec"));
            default -> false;
        };
        return judged ? specProblems(object.path("spec")) : List.of();
    }

    private static List<String> specProblems(JsonNode spec) {
        if (spec.isMissingNode() || spec.isNull()) {
            return List.of("spec: required; see `kubectl explain pbtnassearch.spec`");
        }
        SearchSpec parsed;
        try {
            parsed = Json.MAPPER.treeToValue(spec, SearchSpec.class);
        } catch (Exception e) {
            // The schema ran first, so this is a field the CRD knows and core does not: a version skew.
            return List.of("spec: cannot be read by this operator (" + e.getMessage().lines().findFirst().orElse("")
                    + "); check that the CRD and the operator come from the same release");
        }
        return SpecValidator.problems(parsed);
    }

    /** A 422 Invalid, as the API server's own validation reports one, with one cause per problem. */
    private static Status denial(JsonNode request, List<String> problems) {
        // kubectl prints each cause as "field: message", so the message leaves the field out.
        List<StatusCause> causes = problems.stream().map(p -> new StatusCauseBuilder()
                .withField(field(p)).withMessage(p.substring(Math.min(p.length(), field(p).length() + 2)).strip())
                .withReason("FieldValueInvalid").build()).toList();
        String name = request.path("name").asText(request.path("object").path("metadata").path("name").asText());
        return new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage("PbtNasSearch " + name + " is invalid: " + String.join("; ", problems))
                .withNewDetails().withGroup("pbtnas.io").withKind("PbtNasSearch").withName(name)
                .withCauses(causes).endDetails()
                .build();
    }

    /** The field path a problem starts with ("spec.population: ..."). */
    static String field(String problem) {
        int colon = problem.indexOf(": ");
        return colon < 0 ? "spec" : problem.substring(0, colon);
    }
}
