package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** The key of an item of an {@code x-kubernetes-list-type: map} list: its x-kubernetes-list-map-keys. */
final class ListKeys {
    private ListKeys() {
    }

    static boolean isMap(JsonNode listSchema) {
        return "map".equals(listSchema.path("x-kubernetes-list-type").asText());
    }

    static List<String> names(JsonNode listSchema) {
        List<String> out = new ArrayList<>();
        listSchema.path("x-kubernetes-list-map-keys").forEach(k -> out.add(k.asText()));
        return out;
    }

    /** {key: value, ...} of {@code item}; two items with equal keys are the same entry. */
    static JsonNode of(JsonNode listSchema, JsonNode item) {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (String k : names(listSchema)) {
            key.set(k, item.path(k).isMissingNode() ? JsonNodeFactory.instance.nullNode() : item.get(k));
        }
        return key;
    }
}
