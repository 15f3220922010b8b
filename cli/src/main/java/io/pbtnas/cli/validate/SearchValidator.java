package io.pbtnas.cli.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.cli.manifest.JsonErrors;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.validation.SpecValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every problem of one PbtNasSearch document, by the rules a cluster applies and in its order:
 * <ol>
 *   <li>unknown fields, refused by strict field validation before anything else is looked at;</li>
 *   <li>metadata and the CRD's OpenAPI schema;</li>
 *   <li>the CRD's CEL rules, unless the schema found a wrong type, a missing field, a value outside an
 *   enum, or too long/too many (then the API server skips them too);</li>
 *   <li>core's {@link SpecValidator} on the spec parsed into core's {@link SearchSpec}, as the operator
 *   reads it, once the API server's own checks pass (the admission webhook's place).</li>
 * </ol>
 * Pure.
 */
public final class SearchValidator {
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
    // As the operator reads the stored object: unknown fields are already pruned.
    private static final ObjectMapper SPEC = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Crd crd;
    private final CelRules rules;

    public SearchValidator(Crd crd) {
        this.crd = crd;
        this.rules = new CelRules(crd.openApiV3Schema());
    }

    /** With the CRD packaged into the cli (compiled once; the validator is immutable and thread-safe). */
    public static SearchValidator packaged() {
        return Packaged.INSTANCE;
    }

    private static final class Packaged {
        static final SearchValidator INSTANCE = new SearchValidator(Crd.packaged());
    }

    public Crd crd() {
        return crd;
    }

    /** Which check refused a document: the first of the cluster's layers that found a problem. */
    public enum Layer {
        /** Strict field validation: a field the CRD does not know (nothing else is checked then). */
        UNKNOWN_FIELDS,
        /** metadata and the CRD's OpenAPI schema. */
        SCHEMA,
        /** The CRD's CEL rules (x-kubernetes-validations). */
        CEL,
        /** core's SpecValidator, the operator's rules (the admission webhook's on a cluster). */
        OPERATOR,
        /** Nothing: a cluster accepts the document and the operator runs it. */
        NONE;

        /** True for the layers the API server with the CRD applies by itself (no webhook). */
        public boolean apiServer() {
            return this == UNKNOWN_FIELDS || this == SCHEMA || this == CEL;
        }
    }

    /**
     * What the checks found: the problems, the layer that refused (NONE when valid), and the later
     * layers that were not reached because of it (a cluster skips them too).
     */
    public record Findings(List<Problem> problems, Layer layer, List<Layer> notChecked) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * What a cluster says of {@code document} (a PbtNasSearch); {@code old} is the object before the edit,
     * or null for a create.
     */
    public Findings check(JsonNode document, JsonNode old) {
        JsonNode object = withoutStatus(document);
        JsonNode schema = crd.openApiV3Schema();
        List<Problem> out = new ArrayList<>();
        if (!crd.apiVersion().equals(object.path("apiVersion").asText())) {
            out.add(new Problem("apiVersion", "must be " + crd.apiVersion() + ", got '" + object.path("apiVersion").asText()
                    + "'"));
            return new Findings(out, Layer.SCHEMA, List.of(Layer.CEL, Layer.OPERATOR));
        }
        SchemaChecker.Result checked = SchemaChecker.check(schema, object, "", ROOT_FIELDS);
        out.addAll(checked.unknownFields());
        out.addAll(ObjectMetaRules.unknownFields(object.get("metadata")));
        if (!out.isEmpty()) {
            return new Findings(out, Layer.UNKNOWN_FIELDS, List.of(Layer.SCHEMA, Layer.CEL, Layer.OPERATOR));
        }
        out.addAll(ObjectMetaRules.problems(object.get("metadata")));
        if (old != null && !object.path("metadata").path("name").equals(old.path("metadata").path("name"))) {
            out.add(new Problem("metadata.name", "the old object (--old) is '" + old.path("metadata").path("name").asText()
                    + "'; give the same search before the edit"));
        }
        out.addAll(checked.problems());
        if (checked.blocksRules()) {
            return new Findings(out, Layer.SCHEMA, List.of(Layer.CEL, Layer.OPERATOR));
        }
        boolean schemaFound = !out.isEmpty();
        out.addAll(rules.problems(object, old == null ? null : withoutStatus(old)));
        if (!out.isEmpty()) {
            // Schema problems that do not block the rules are reported together with the rules' (as by the API server).
            return new Findings(out, schemaFound ? Layer.SCHEMA : Layer.CEL, List.of(Layer.OPERATOR));
        }
        List<Problem> operator = specProblems(Pruning.prune(schema.path("properties").get("spec"), object.get("spec")));
        return new Findings(operator, operator.isEmpty() ? Layer.NONE : Layer.OPERATOR, List.of());
    }

    /** The problems of {@link #check}. */
    public List<Problem> problems(JsonNode document, JsonNode old) {
        return check(document, old).problems();
    }

    private static List<Problem> specProblems(JsonNode spec) {
        List<Problem> out = new ArrayList<>();
        SearchSpec parsed;
        try {
            parsed = spec == null ? null : SPEC.treeToValue(spec, SearchSpec.class);
        } catch (JsonProcessingException e) {
            out.add(new Problem("", JsonErrors.describe(e, "spec")));
            return out;
        } catch (IllegalArgumentException e) {
            out.add(new Problem("spec", e.getMessage()));
            return out;
        }
        for (String p : SpecValidator.problems(parsed)) {
            // SpecValidator writes "spec.field.path: what is wrong and how to fix it".
            int colon = p.indexOf(": ");
            boolean path = colon > 0 && p.startsWith("spec") && !p.substring(0, colon).contains(" ");
            out.add(path ? new Problem(p.substring(0, colon), p.substring(colon + 2)) : new Problem("", p));
        }
        return out;
    }

    private static JsonNode withoutStatus(JsonNode document) {
        // The main resource ignores status (a subresource): the API server drops it on create and update.
        if (document.isObject() && document.has("status")) {
            ObjectNode copy = document.deepCopy();
            copy.remove("status");
            return copy;
        }
        return document;
    }
}
