package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a value against a structural OpenAPI v3 schema as the API server does for a custom resource:
 * unknown fields (refused like kubectl apply's default strict field validation), types (with
 * x-kubernetes-int-or-string and x-kubernetes-preserve-unknown-fields), required, enum, bounds (with
 * exclusiveMinimum/Maximum), string lengths, patterns (RE2, as Go's), item and property counts. A null
 * is pruned where the schema does not say nullable, as the API server does before validating. Pure.
 */
public final class SchemaChecker {
    /**
     * What the schema says. {@code blocksRules}: an error of the kinds after which the API server does not
     * evaluate the CEL rules (wrong type, enum, required, too long, too many).
     */
    public record Result(List<Problem> unknownFields, List<Problem> problems, boolean blocksRules) {
    }

    private final List<Problem> unknown = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private boolean blocking;

    private SchemaChecker() {
    }

    /**
     * Checks {@code value} (at {@code path}) against {@code schema}; {@code alsoAllowed} names fields the
     * schema does not list but the API server accepts there (apiVersion, kind, metadata at the root).
     */
    public static Result check(JsonNode schema, JsonNode value, String path, Set<String> alsoAllowed) {
        SchemaChecker c = new SchemaChecker();
        c.node(schema, value, path, alsoAllowed);
        return new Result(List.copyOf(c.unknown), List.copyOf(c.problems), c.blocking);
    }

    /** True when the API server drops this value before validating: a null the schema does not allow. */
    static boolean pruned(JsonNode schema, JsonNode value) {
        return value.isNull() && !schema.path("nullable").asBoolean(false);
    }

    private void node(JsonNode schema, JsonNode value, String path, Set<String> alsoAllowed) {
        if (value.isNull()) {
            return; // nullable (a pruned null never gets here)
        }
        if (!typeMatches(schema, value, path)) {
            return;
        }
        enumeration(schema, value, path);
        if (value.isNumber()) {
            bounds(schema, value, path);
        } else if (value.isTextual()) {
            string(schema, value.asText(), path);
        } else if (value.isArray()) {
            array(schema, value, path);
        } else if (value.isObject()) {
            object(schema, value, path, alsoAllowed);
        }
    }

    private boolean typeMatches(JsonNode schema, JsonNode value, String path) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (isInteger(value) || value.isTextual()) {
                return true;
            }
            return refuse(path, "must be an integer or a string, got " + describe(value));
        }
        String type = schema.path("type").asText("");
        boolean ok = switch (type) {
            case "" -> true; // x-kubernetes-preserve-unknown-fields without a type: any value
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> isInteger(value);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        return ok || refuse(path, "must be " + article(type) + ", got " + describe(value));
    }

    private boolean refuse(String path, String message) {
        problems.add(new Problem(path, message));
        blocking = true;
        return false;
    }

    private void enumeration(JsonNode schema, JsonNode value, String path) {
        JsonNode values = schema.get("enum");
        if (values == null || !values.isArray()) {
            return;
        }
        for (JsonNode v : values) {
            if (v.equals(value) || (v.isNumber() && value.isNumber() && v.asDouble() == value.asDouble())) {
                return;
            }
        }
        List<String> allowed = new ArrayList<>();
        values.forEach(v -> allowed.add(v.isTextual() ? v.asText() : v.toString()));
        refuse(path, show(value) + " is not supported; use one of: " + String.join(", ", allowed));
    }

    private void bounds(JsonNode schema, JsonNode value, String path) {
        double v = value.asDouble();
        JsonNode min = schema.get("minimum");
        if (min != null && min.isNumber()) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            if (exclusive ? !(v > min.asDouble()) : !(v >= min.asDouble())) {
                problems.add(new Problem(path, "must be " + (exclusive ? "greater than " : "greater than or equal to ")
                        + number(min) + ", got " + value));
            }
        }
        JsonNode max = schema.get("maximum");
        if (max != null && max.isNumber()) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            if (exclusive ? !(v < max.asDouble()) : !(v <= max.asDouble())) {
                problems.add(new Problem(path, "must be " + (exclusive ? "less than " : "less than or equal to ")
                        + number(max) + ", got " + value));
            }
        }
    }

    private void string(JsonNode schema, String s, String path) {
        int length = s.codePointCount(0, s.length());
        JsonNode max = schema.get("maxLength");
        if (max != null && length > max.asLong()) {
            refuse(path, "may not be longer than " + max.asLong() + " characters, got " + length);
        }
        JsonNode min = schema.get("minLength");
        if (min != null && length < min.asLong()) {
            problems.add(new Problem(path, "must be at least " + min.asLong() + " characters long, got " + length));
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isTextual()) {
            try {
                if (!Pattern.compile(pattern.asText()).matcher(s).find()) {
                    problems.add(new Problem(path, "'" + s + "' does not match the pattern '" + pattern.asText() + "'"));
                }
            } catch (PatternSyntaxException e) {
                problems.add(new Problem(path, "the CRD's pattern '" + pattern.asText() + "' does not compile: "
                        + e.getMessage()));
            }
        }
    }

    private void array(JsonNode schema, JsonNode value, String path) {
        int n = value.size();
        JsonNode max = schema.get("maxItems");
        if (max != null && n > max.asLong()) {
            refuse(path, "must have at most " + max.asLong() + " items, got " + n);
        }
        JsonNode min = schema.get("minItems");
        if (min != null && n < min.asLong()) {
            problems.add(new Problem(path, "must have at least " + min.asLong() + " item" + (min.asLong() == 1 ? "" : "s")
                    + ", got " + n));
        }
        JsonNode items = schema.get("items");
        if (items == null) {
            return;
        }
        for (int i = 0; i < n; i++) {
            JsonNode item = value.get(i);
            if (!pruned(items, item)) {
                node(items, item, FieldPath.index(path, i), Set.of());
            }
        }
        listType(schema, value, path);
    }

    /** x-kubernetes-list-type set (items unique) and map (the x-kubernetes-list-map-keys unique). */
    private void listType(JsonNode schema, JsonNode value, String path) {
        String type = schema.path("x-kubernetes-list-type").asText("atomic");
        if (!type.equals("set") && !type.equals("map")) {
            return;
        }
        Set<JsonNode> seen = new java.util.HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode key = type.equals("set") ? value.get(i) : ListKeys.of(schema, value.get(i));
            if (!seen.add(key)) {
                problems.add(new Problem(FieldPath.index(path, i), "Duplicate value: " + key + "; each "
                        + (type.equals("set") ? "item" : "item's " + ListKeys.names(schema)) + " may appear once"));
            }
        }
    }

    private void object(JsonNode schema, JsonNode value, String path, Set<String> alsoAllowed) {
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode child = e.getValue();
            JsonNode childSchema = properties == null ? null : properties.get(name);
            if (childSchema != null) {
                if (!pruned(childSchema, child)) {
                    count++;
                    node(childSchema, child, FieldPath.child(path, name), Set.of());
                }
            } else if (additional != null && additional.isObject()) {
                if (!pruned(additional, child)) {
                    count++;
                    node(additional, child, FieldPath.key(path, name), Set.of());
                }
            } else if (alsoAllowed.contains(name)) {
                count++;
            } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                Set<String> known = new TreeSet<>(alsoAllowed);
                if (properties != null) {
                    properties.fieldNames().forEachRemaining(known::add);
                }
                unknown.add(new Problem(FieldPath.child(path, name), "unknown field" + (known.isEmpty() ? ""
                        : " (known here: " + String.join(", ", known) + ")") + "; remove it or fix its spelling"));
            } else {
                count++;
            }
        }
        JsonNode required = schema.get("required");
        if (required != null) {
            for (JsonNode r : required) {
                JsonNode child = value.get(r.asText());
                JsonNode childSchema = properties == null ? null : properties.get(r.asText());
                if (child == null || (childSchema != null && pruned(childSchema, child))) {
                    refuse(FieldPath.child(path, r.asText()), "Required value; add it");
                }
            }
        }
        JsonNode maxProperties = schema.get("maxProperties");
        if (maxProperties != null && count > maxProperties.asLong()) {
            refuse(path, "must have at most " + maxProperties.asLong() + " entries, got " + count);
        }
        JsonNode minProperties = schema.get("minProperties");
        if (minProperties != null && count < minProperties.asLong()) {
            problems.add(new Problem(path, "must have at least " + minProperties.asLong() + " entries, got " + count));
        }
    }

    /** A whole number, as the API server reads one (JSON has one number type; 2.0 counts). */
    static boolean isInteger(JsonNode value) {
        return value.isIntegralNumber() || (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                && !Double.isInfinite(value.asDouble()));
    }

    private static String number(JsonNode n) {
        double d = n.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "an object (key: value)";
            case "array" -> "a list";
            case "string" -> "a string";
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            default -> "of type " + type;
        };
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string '" + v.asText() + "'";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isBoolean()) {
            return v.toString();
        }
        return v.isNumber() ? "the number " + v : v.toString();
    }

    private static String show(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.toString();
    }
}
