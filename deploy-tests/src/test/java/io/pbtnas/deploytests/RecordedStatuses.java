package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The searches real runs recorded (testkit's StatusRecorder; how and where each was recorded:
 * deploy-tests/src/test/resources/health/README.md), whole objects as the API server returned them.
 */
final class RecordedStatuses {
    private RecordedStatuses() {}

    static Path dir() {
        return RepoPaths.root().resolve("deploy-tests/src/test/resources/health/statuses");
    }

    /** The recorded cases, by file name without .json. */
    static List<String> names() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode load(String name) {
        try {
            return ArgoCdLua.JSON.readTree(dir().resolve(name + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recorded status " + name, e);
        }
    }

    /** A copy of a recorded search with one more condition, for conditions no recording has yet. */
    static JsonNode withCondition(JsonNode recorded, String type, String status, String reason, String message) {
        ObjectNode copy = recorded.deepCopy();
        ArrayNode conditions = ((ObjectNode) copy.path("status")).withArray("conditions");
        ObjectNode c = conditions.addObject();
        c.put("type", type).put("status", status).put("reason", reason).put("message", message)
                .put("lastTransitionTime", "2026-01-01T00:00:00Z");
        return copy;
    }

    /** The condition of that type whose status is True, or a missing node. */
    static JsonNode trueCondition(JsonNode search, String type) {
        for (JsonNode c : search.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
