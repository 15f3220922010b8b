package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Flux Kustomization's {@code healthCheckExprs} entry, evaluated as Flux's runtime/cel StatusEvaluator
 * does (RFC 0009), with a real CEL implementation: a status.observedGeneration that differs from
 * metadata.generation is InProgress; then inProgress, failed and current, in that order, the first true
 * one wins; none true is InProgress. The expressions are parsed, not type-checked (a custom resource's
 * fields are not declared), against the object's top-level fields; an expression that cannot be
 * evaluated makes kstatus report Unknown.
 */
record FluxCel(CelRuntime.Program inProgress, CelRuntime.Program failed, CelRuntime.Program current) {
    /** The kstatus statuses a health check can give. */
    enum Status { InProgress, Failed, Current, Unknown }

    /** The result, and for Unknown the evaluation error. */
    record Result(Status status, String error) {}

    // A planner runtime: it evaluates parsed, unchecked expressions, as Flux does. Flux's environment: cross-type numeric comparisons, optional types, the strings, sets and encoders extensions.
    static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    static final Cel CEL = CelFactory.plannerCelBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.sets(OPTIONS),
                    CelExtensions.encoders())
            .addRuntimeLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.sets(OPTIONS),
                    CelExtensions.encoders())
            .build();

    /** From one entry of spec.healthCheckExprs (current is required, as in Flux; the others may be absent). */
    static FluxCel of(JsonNode entry) {
        if (entry.path("current").asText().isEmpty()) {
            throw new IllegalArgumentException("expression current not specified: " + entry);
        }
        return new FluxCel(program(entry.path("inProgress").asText()), program(entry.path("failed").asText()),
                program(entry.path("current").asText()));
    }

    private static CelRuntime.Program program(String expr) {
        if (expr.isEmpty()) {
            return null;
        }
        try {
            CelAbstractSyntaxTree ast = CEL.parse(expr).getAst();
            return CEL.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("cannot parse the CEL expression '" + expr + "': " + e.getMessage(), e);
        }
    }

    Result evaluate(JsonNode object) {
        JsonNode observed = object.path("status").path("observedGeneration");
        JsonNode generation = object.path("metadata").path("generation");
        if (observed.isIntegralNumber() && generation.isIntegralNumber() && observed.asLong() != generation.asLong()) {
            return new Result(Status.InProgress, null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> activation = (Map<String, Object>) toCel(object);
        for (var e : List.of(Map.entry(Status.InProgress, opt(inProgress)), Map.entry(Status.Failed, opt(failed)),
                Map.entry(Status.Current, opt(current)))) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            try {
                Object v = e.getValue().get(0).eval(activation);
                if (!(v instanceof Boolean b)) {
                    return new Result(Status.Unknown, "the expression for " + e.getKey() + " gave " + v + ", not a bool");
                }
                if (b) {
                    return new Result(e.getKey(), null);
                }
            } catch (CelEvaluationException ex) {
                return new Result(Status.Unknown, ex.getMessage());
            }
        }
        return new Result(Status.InProgress, null);
    }

    private static List<CelRuntime.Program> opt(CelRuntime.Program p) {
        return p == null ? List.of() : List.of(p);
    }

    /** JSON as an unstructured Kubernetes object reaches CEL: maps, lists, int64, double, string, bool. */
    static Object toCel(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    m.put(f.getKey(), toCel(f.getValue()));
                }
            });
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(toCel(x)));
            return l;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }
}
