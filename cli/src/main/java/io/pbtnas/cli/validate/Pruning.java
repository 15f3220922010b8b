package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The object as the API server stores it and the operator reads it: fields the schema does not know
 * and nulls it does not allow removed. Pure (returns a copy).
 */
final class Pruning {
    private Pruning() {
    }

    static JsonNode prune(JsonNode schema, JsonNode value) {
        if (schema == null || value == null) {
            return value;
        }
        if (value.isArray() && schema.get("items") != null) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : value) {
                if (!SchemaChecker.pruned(schema.get("items"), item)) {
                    out.add(prune(schema.get("items"), item));
                }
            }
            return out;
        }
        if (!value.isObject() || schema.path("type").asText("").isEmpty()) {
            return value.deepCopy(); // a leaf, or x-kubernetes-preserve-unknown-fields without a type
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode child = properties == null ? null : properties.get(e.getKey());
            if (child == null && additional != null && additional.isObject()) {
                child = additional;
            }
            if (child != null) {
                if (!SchemaChecker.pruned(child, e.getValue())) {
                    out.set(e.getKey(), prune(child, e.getValue()));
                }
            } else if (preserve) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }
}
