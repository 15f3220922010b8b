package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Multi-document YAML as a list of objects; empty documents (templates that render nothing) dropped. */
final class Manifests {
    static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {}

    static List<JsonNode> parse(String yaml) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML: " + e.getMessage(), e);
        }
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static Optional<JsonNode> find(List<JsonNode> docs, String kind, String nameSuffix) {
        return ofKind(docs, kind).stream()
                .filter(d -> d.path("metadata").path("name").asText().endsWith(nameSuffix)).findFirst();
    }

    static String describe(JsonNode doc) {
        return doc.path("kind").asText() + " " + doc.path("metadata").path("namespace").asText("")
                + "/" + doc.path("metadata").path("name").asText();
    }
}
