package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's value as the API server hands it to a CEL rule: typed by the schema (integer fields are
 * CEL ints, number fields doubles, even when written as 1), unknown fields and pruned nulls left out,
 * and at the root only metadata.name and metadata.generateName visible. Pure.
 */
final class CelValues {
    private CelValues() {
    }

    /** The root object: apiVersion, kind, metadata (name and generateName only), spec, status. */
    static Map<String, Object> root(JsonNode schema, JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : List.of("apiVersion", "kind")) {
            if (object.path(f).isTextual()) {
                out.put(f, object.get(f).asText());
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String f : List.of("name", "generateName")) {
            if (object.path("metadata").path(f).isTextual()) {
                metadata.put(f, object.path("metadata").get(f).asText());
            }
        }
        out.put("metadata", metadata);
        JsonNode properties = schema.path("properties");
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            JsonNode v = object.get(f);
            if (v != null && !SchemaChecker.pruned(properties.get(f), v)) {
                out.put(f, of(properties.get(f), v));
            }
        }
        return out;
    }

    /** {@code value} typed by {@code schema}. */
    static Object of(JsonNode schema, JsonNode value) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (schema == null) {
            return raw(value);
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isTextual() ? value.asText() : (Object) value.asLong();
        }
        switch (schema.path("type").asText("")) {
            case "integer":
                return value.asLong();
            case "number":
                return value.asDouble();
            case "string":
                return value.asText();
            case "boolean":
                return value.asBoolean();
            case "array": {
                List<Object> out = new ArrayList<>();
                JsonNode items = schema.get("items");
                for (JsonNode item : value) {
                    if (items == null || !SchemaChecker.pruned(items, item)) {
                        out.add(of(items, item));
                    }
                }
                return out;
            }
            case "object":
                return object(schema, value);
            default:
                return raw(value);
        }
    }

    private static Map<String, Object> object(JsonNode schema, JsonNode value) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode childSchema = properties == null ? null : properties.get(e.getKey());
            if (childSchema == null && additional != null && additional.isObject()) {
                childSchema = additional;
            }
            if (childSchema != null) {
                if (!SchemaChecker.pruned(childSchema, e.getValue())) {
                    out.put(e.getKey(), of(childSchema, e.getValue()));
                }
            } else if (preserve) {
                out.put(e.getKey(), raw(e.getValue()));
            }
        }
        return out;
    }

    /** A value under x-kubernetes-preserve-unknown-fields: whole numbers are ints, others doubles. */
    private static Object raw(JsonNode value) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<Object> out = new ArrayList<>();
            value.forEach(v -> out.add(raw(v)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> out.put(e.getKey(), raw(e.getValue())));
        return out;
    }
}
