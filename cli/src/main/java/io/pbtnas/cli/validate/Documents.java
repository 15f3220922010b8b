package io.pbtnas.cli.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The documents of a (multi-document) YAML text, or where it stops parsing. Pure. */
final class Documents {
    /** A document; {@code number} counts from 1, empty documents included. */
    record Document(int number, JsonNode node) {
    }

    /** What a text holds: its documents up to {@code failure}, a YAML error naming the line, if any. */
    record Parsed(List<Document> documents, String failure) {
    }

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            // A key given twice is refused by kubectl; Jackson would keep the last silently.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Documents() {
    }

    /**
     * The objects of a document: the document itself, or the items of a {@code kind: List} (what
     * {@code kubectl get -o yaml} writes for several objects).
     */
    static List<JsonNode> objects(JsonNode document) {
        if (document != null && "List".equals(document.path("kind").asText()) && document.path("items").isArray()) {
            List<JsonNode> out = new ArrayList<>();
            document.get("items").forEach(out::add);
            return out;
        }
        return java.util.Collections.singletonList(document);
    }

    static Parsed parse(String text) {
        List<Document> out = new ArrayList<>();
        int number = 0;
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                number++;
                out.add(new Document(number, it.nextValue()));
            }
            return new Parsed(out, null);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            return new Parsed(out, (line > 0 ? "line " + line + ": " : "") + "cannot parse the YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            return new Parsed(out, "cannot parse the YAML: " + e.getMessage());
        } catch (RuntimeException e) {
            // MappingIterator wraps a parse failure met while looking for the next document.
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException j) {
                int line = j.getLocation() == null ? -1 : j.getLocation().getLineNr();
                return new Parsed(out, (line > 0 ? "line " + line + ": " : "") + "cannot parse the YAML: "
                        + j.getOriginalMessage().lines().findFirst().orElse(""));
            }
            throw e;
        }
    }
}
