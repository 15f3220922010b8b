package io.pbtnas.cli.local;

import io.pbtnas.core.layout.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * search.json: the name and effective spec a work directory was started with.
 * Resuming with a different spec would mix two searches' checkpoints, so it is
 * refused with the fields that differ. Parallelism is a property of the
 * machine, not of the search, and may change between runs.
 */
public final class SearchRecord {
    private SearchRecord() {
    }

    static JsonNode of(String name, SearchSpec spec) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", name);
        ObjectNode s = Json.MAPPER.valueToTree(spec.withDefaults());
        s.remove("parallelism");
        s.remove("suspend"); // a switch for now, not part of what the search is
        n.set("spec", s);
        return n;
    }

    /** Records the search on first use; on resume, checks it is the same one. */
    public static void checkOrWrite(WorkDir dir, String name, SearchSpec spec) throws IOException {
        // Through text, so numbers compare as they will be read back (11 vs 11L).
        JsonNode now = Json.MAPPER.readTree(Json.write(of(name, spec)));
        if (!Files.exists(dir.search())) {
            AtomicFiles.writeString(dir.search(), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(now) + "\n");
            return;
        }
        JsonNode before = withDefaults(Json.MAPPER.readTree(Files.readString(dir.search())));
        List<String> diffs = new ArrayList<>();
        diff("", before, now, diffs);
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException(dir.root() + " holds a search started with a different manifest ("
                    + String.join(", ", diffs) + "); resume with the original manifest, or give a new --dir");
        }
    }

    /**
     * The record as this version writes it: defaults applied to the recorded spec, so a directory
     * started before a field existed (or with a default left implicit) resumes when the manifest
     * means the same search. A record this version cannot read is compared as it stands.
     */
    private static JsonNode withDefaults(JsonNode record) throws IOException {
        JsonNode spec = record.get("spec");
        JsonNode name = record.get("name");
        if (spec == null || !spec.isObject() || name == null || !name.isTextual()) {
            return record;
        }
        SearchSpec parsed;
        try {
            parsed = Json.MAPPER.treeToValue(spec, SearchSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return record;
        }
        return Json.MAPPER.readTree(Json.write(of(name.asText(), parsed)));
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            List<String> names = new ArrayList<>();
            a.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!names.contains(f)) {
                    names.add(f);
                }
            }
            for (String f : names) {
                diff(path.isEmpty() ? f : path + "." + f, a.get(f), b.get(f), out);
            }
        } else if (a == null ? b != null : !a.equals(b)) {
            out.add(path + ": was " + a + ", now " + b);
        }
    }
}
