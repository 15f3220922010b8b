package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CRD's {@code x-kubernetes-validations}, compiled once with CEL for Java and evaluated the way the
 * API server does: each rule at the node where it is declared ({@code self} that node's value, for list
 * items and map values each one), only where the value is present, with {@code message} or
 * {@code messageExpression}. Transition rules (those using {@code oldSelf}) run only for an edit, where
 * the old object has a value at the same place (with {@code optionalOldSelf}, always, oldSelf then an
 * optional); an item of a list is matched to an old one only in a list-type map, by its keys, as by the
 * API server (other lists are atomic).
 */
public final class CelRules {
    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");

    /** {@code optionalOldSelf}: a transition rule that also runs on a create, oldSelf then optional.none(). */
    record Rule(String rule, String message, CelRuntime.Program program, CelRuntime.Program messageExpression,
            String fieldPath, boolean transition, boolean optionalOldSelf) {
    }

    private final JsonNode rootSchema;
    private final Map<JsonNode, List<Rule>> rules = new IdentityHashMap<>();
    private final Cel cel;

    /** Compiles every rule of {@code schema}; throws naming the rule when one does not compile. */
    public CelRules(JsonNode schema) {
        this.rootSchema = schema;
        this.cel = environment();
        compileAll(schema, "");
    }

    /** How many rules the schema declares (all of them compiled). */
    public int size() {
        return rules.values().stream().mapToInt(List::size).sum();
    }

    static Cel environment() {
        CelOptions options = CelOptions.current()
                // As the API server's cel-go: 1 < 1.5 and 2 == 2.0 across int and double.
                .enableHeterogeneousNumericComparisons(true)
                .enableOptionalSyntax(true)
                .build();
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.bindings(),
                        CelExtensions.optional())
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.sets(options), CelExtensions.optional())
                .addFunctionDeclarations(KubernetesCelLibrary.declarations())
                .addFunctionBindings(KubernetesCelLibrary.bindings())
                .addVar("self", SimpleType.DYN)
                .addVar("oldSelf", SimpleType.DYN)
                .build();
    }

    private void compileAll(JsonNode schema, String where) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        JsonNode validations = schema.get("x-kubernetes-validations");
        if (validations != null) {
            List<Rule> here = new ArrayList<>();
            for (JsonNode v : validations) {
                String rule = v.path("rule").asText();
                String messageExpression = v.path("messageExpression").asText("");
                here.add(new Rule(rule, v.path("message").asText(""), program(rule, where),
                        messageExpression.isEmpty() ? null : program(messageExpression, where),
                        v.path("fieldPath").asText(""), OLD_SELF.matcher(rule).find(),
                        v.path("optionalOldSelf").asBoolean(false)));
            }
            rules.put(schema, here);
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                compileAll(e.getValue(), FieldPath.child(where, e.getKey()));
            }
        }
        compileAll(schema.get("items"), where + "[]");
        compileAll(schema.get("additionalProperties"), where + "[*]");
    }

    private CelRuntime.Program program(String expression, String where) {
        try {
            CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
            return cel.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException("the CRD's rule at " + (where.isEmpty() ? "the root" : where) + " does "
                    + "not compile in pbtnas validate's CEL environment: " + expression + "\n" + e.getMessage(), e);
        }
    }

    /**
     * Problems of {@code object} (the whole document, as parsed); {@code old} is the object before the
     * edit, or null for a create (then transition rules do not run).
     */
    public List<Problem> problems(JsonNode object, JsonNode old) {
        List<Problem> out = new ArrayList<>();
        Object self = CelValues.root(rootSchema, object);
        Object oldSelf = old == null ? null : CelValues.root(rootSchema, old);
        evaluate(rootSchema, self, oldSelf, "", out);
        walk(rootSchema, object, old, "", out, true);
        return out;
    }

    private void walk(JsonNode schema, JsonNode value, JsonNode old, String path, List<Problem> out, boolean root) {
        if (value == null || value.isNull()) {
            return;
        }
        if (!root) {
            evaluate(schema, CelValues.of(schema, value), old == null || old.isNull() ? null : CelValues.of(schema, old),
                    path, out);
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode oldChild = old == null ? null : old.get(e.getKey());
                JsonNode childSchema = properties == null ? null : properties.get(e.getKey());
                if (childSchema != null) {
                    if (!SchemaChecker.pruned(childSchema, e.getValue())) {
                        walk(childSchema, e.getValue(), oldChild, FieldPath.child(path, e.getKey()), out, false);
                    }
                } else if (additional != null && additional.isObject() && !SchemaChecker.pruned(additional, e.getValue())) {
                    walk(additional, e.getValue(), oldChild, FieldPath.key(path, e.getKey()), out, false);
                }
            }
        } else if (value.isArray() && schema.get("items") != null) {
            JsonNode items = schema.get("items");
            for (int i = 0; i < value.size(); i++) {
                if (!SchemaChecker.pruned(items, value.get(i))) {
                    walk(items, value.get(i), oldItem(schema, value.get(i), old), FieldPath.index(path, i), out, false);
                }
            }
        }
    }

    /** The old item an item corresponds to: only in a list-type map, by its keys (others are atomic). */
    private static JsonNode oldItem(JsonNode listSchema, JsonNode item, JsonNode oldList) {
        if (oldList == null || !oldList.isArray() || !ListKeys.isMap(listSchema)) {
            return null;
        }
        JsonNode key = ListKeys.of(listSchema, item);
        for (JsonNode o : oldList) {
            if (key.equals(ListKeys.of(listSchema, o))) {
                return o;
            }
        }
        return null;
    }

    private void evaluate(JsonNode schema, Object self, Object oldSelf, String path, List<Problem> out) {
        List<Rule> here = rules.get(schema);
        if (here == null) {
            return;
        }
        for (Rule r : here) {
            if (r.transition() && oldSelf == null && !r.optionalOldSelf()) {
                continue;
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("self", self);
            if (r.optionalOldSelf()) {
                vars.put("oldSelf", Optional.ofNullable(oldSelf));
            } else if (oldSelf != null) {
                vars.put("oldSelf", oldSelf);
            }
            String at = path + r.fieldPath();
            try {
                Object result = r.program().eval(vars);
                if (!Boolean.TRUE.equals(result)) {
                    out.add(new Problem(at, result instanceof Boolean ? message(r, vars)
                            : "the rule '" + r.rule() + "' gave " + result + ", not true or false"));
                }
            } catch (CelEvaluationException e) {
                out.add(new Problem(at, "the rule '" + r.rule() + "' could not be evaluated: " + e.getMessage()));
            }
        }
    }

    /** The rule's messageExpression, else its message, else "failed rule: ..." as the API server says. */
    private static String message(Rule r, Map<String, Object> vars) {
        if (r.messageExpression() != null) {
            try {
                Object m = r.messageExpression().eval(vars);
                if (m instanceof String s && !s.isBlank()) {
                    return s;
                }
            } catch (CelEvaluationException e) {
                // the API server falls back to message, as here
            }
        }
        return r.message().isEmpty() ? "failed rule: " + r.rule() : r.message();
    }
}
