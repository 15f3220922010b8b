package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.cli.steps.FileTrees;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work directory written before attempts had their own folders (files in members/<m>/gen-<g>/,
 * no checkpointAttempts in status.json) resumes: finished steps are read from the old paths, new
 * steps get attempt folders, and the result is the one an uninterrupted run reaches.
 */
class LegacyLayoutResumeTest {
    @Test
    void aSearchStartedWithTheOldLayoutResumesToTheSameResult(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST);
        Path reference = tmp.resolve("reference");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", reference.toString(), "--parallel", "2",
                "-q", "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());

        Path dir = tmp.resolve("legacy");
        Path log = tmp.resolve("run1.log");
        Process p = Cli.start(log, Map.of("FAKE_TRAINER_SLEEP_MS", "400"), "run", "-f", manifest.toString(),
                "--dir", dir.toString(), "--parallel", "2", "--json", "--trainer-command", Cli.fakeTrainerCommand());
        ResumeTest.waitForEvents(log, "\"member-finished\",\"member\":\\d+,\"generation\":1", 2, p);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        new io.pbtnas.cli.local.Children(dir.resolve("running")).reapOrphans();
        toLegacyLayout(dir);

        Cli.Result resumed = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "--parallel", "2",
                "-q", "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        JsonNode want = Json.MAPPER.readTree(Files.readString(reference.resolve("status.json")));
        JsonNode got = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals(want.get("best").get("score"), got.get("best").get("score"));
        for (int m = 0; m < 8; m++) {
            assertEquals(want.get("members").get(m).get("scores"), got.get("members").get(m).get("scores"));
            assertEquals(want.get("members").get(m).get("lineage"), got.get("members").get(m).get("lineage"));
            JsonNode attempts = got.get("members").get(m).get("checkpointAttempts");
            assertEquals(-1, attempts.get(0).asInt(), "generation 0 came from the old layout: " + attempts);
            assertEquals(0, attempts.get(2).asInt(), "generation 2 ran with attempt folders: " + attempts);
            assertTrue(Files.isRegularFile(dir.resolve("members/" + m + "/gen-0/model.safetensors")));
            assertTrue(Files.isRegularFile(dir.resolve("members/" + m + "/gen-2/attempt-0/model.safetensors")));
        }
        assertTrue(Files.isRegularFile(dir.resolve("best/model.safetensors")));
    }

    /** What the previous version left: every finished step's files in gen-<g>/, no attempt folders, no field. */
    static void toLegacyLayout(Path dir) throws Exception {
        ObjectNode status = (ObjectNode) Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        for (JsonNode node : status.get("members")) {
            ObjectNode m = (ObjectNode) node;
            int id = m.get("id").asInt();
            JsonNode attempts = m.remove("checkpointAttempts");
            for (int g = 0; g < attempts.size(); g++) {
                Path gen = dir.resolve("members/" + id + "/gen-" + g);
                Path counted = gen.resolve("attempt-" + attempts.get(g).asInt());
                for (String f : List.of("model.safetensors", "metrics.json")) {
                    Files.move(counted.resolve(f), gen.resolve(f));
                }
            }
            if (m.has("checkpoint")) {
                m.put("checkpoint", m.get("checkpoint").asText().replaceAll("/attempt-\\d+", ""));
            }
        }
        if (status.has("best")) {
            ObjectNode best = (ObjectNode) status.get("best");
            best.put("checkpoint", best.get("checkpoint").asText().replaceAll("/attempt-\\d+", ""));
        }
        try (Stream<Path> s = Files.walk(dir.resolve("members"))) {
            for (Path a : s.filter(x -> x.getFileName().toString().startsWith("attempt-")).toList()) {
                FileTrees.delete(a);
            }
        }
        Files.writeString(dir.resolve("status.json"), Json.MAPPER.writeValueAsString(status));
    }
}
