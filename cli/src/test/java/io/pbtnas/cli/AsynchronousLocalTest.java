package io.pbtnas.cli;


import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `schedule: asynchronous` in the local mode: members proceed independently, every (member, step)
 * is judged once, replacements happen without a generation barrier, and a run killed with SIGKILL
 * resumes keeping every decision it had made. The fake trainer (test sources), since the driver is
 * what is tested: it can hold one member's first step until the test releases it (FAKE_TRAINER_HOLD_MEMBER).
 */
class AsynchronousLocalTest {
    static final String MANIFEST = """
            apiVersion: pbtnas.io/v1alpha1
            kind: PbtNasSearch
            metadata: {name: async}
            spec:
              population: 6
              generations: 4
              seed: 3
              schedule: asynchronous
              searchSpace:
                genes:
                  - {name: cell0, options: [conv3x3, conv5x5, skip]}
                  - {name: cell1, options: [conv3x3, conv5x5, skip]}
              trainer: {task: fake}
            """;

    @TempDir
    static Path tmp;
    static Path manifest;

    @BeforeAll
    static void write() throws Exception {
        manifest = tmp.resolve("async.yaml");
        Files.writeString(manifest, MANIFEST);
    }

    @Test
    void anAsynchronousSearchJudgesEveryStepOnceAndReplacesWithoutABarrier() throws Exception {
        Path dir = tmp.resolve("once");
        Path log = tmp.resolve("once.log");
        Path release = tmp.resolve("release-member-5");
        // Member 5's first step is held until another member has finished its second one: under a
        // generation barrier that can never happen, and the wait below fails instead of the run ending.
        Process p = start(dir, log, 0, Map.of("FAKE_TRAINER_HOLD_MEMBER", "5",
                "FAKE_TRAINER_HOLD_UNTIL", release.toString()));
        try {
            ResumeTest.waitForEvents(log, "\"member-finished\",\"member\":[0-4],\"generation\":1,", 1, p);
        } finally {
            Files.writeString(release, ""); // never leave a held trainer behind, even when the wait fails
        }
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "run did not end");
        assertEquals(0, p.exitValue(), () -> ResumeTest.read(tmp.resolve("once.log")));
        JsonNode search = Json.MAPPER.readTree(Files.readString(dir.resolve("search.json")));
        assertEquals("asynchronous", search.get("spec").get("schedule").asText(), "the schedule reached the driver");
        JsonNode status = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals("Complete", status.get("phase").asText());
        checkJudgedOnce(status);
        long replaced = 0;
        for (JsonNode a : status.get("arrivals")) {
            replaced += "replaced".equals(a.get("verdict").asText()) ? 1 : 0;
        }
        assertTrue(replaced >= 1, "some member was replaced: " + status.get("arrivals"));
        JsonNode held = arrival(status, 5, 0);
        assertTrue(StreamSupport.stream(status.get("arrivals").spliterator(), false)
                        .anyMatch(a -> a.get("step").asInt() == 1 && Instant.parse(a.get("finishedAt").asText())
                                .isBefore(Instant.parse(held.get("finishedAt").asText()))),
                "the status records a second step finished before member 5's first one: " + status.get("arrivals"));
        for (JsonNode a : status.get("arrivals")) {
            // Wall-clock times of each step, for the report's timeline.
            Instant started = Instant.parse(a.get("startedAt").asText());
            Instant finished = Instant.parse(a.get("finishedAt").asText());
            assertTrue(!finished.isBefore(started), a.toString());
        }
        String report = Files.readString(dir.resolve("report.html"));
        assertEquals(6 * 4, EndToEndTest.count(report, "class=\"step-bar\""), "a timeline bar per arrival");
        for (JsonNode m : status.get("members")) {
            assertEquals(4, m.get("scores").size(), "every member trained every step: " + m);
        }
        assertTrue(Files.exists(dir.resolve("best/model.safetensors")));
    }

    @Test
    void aKilledAsynchronousRunResumesKeepingEveryDecision() throws Exception {
        Path dir = tmp.resolve("killed");
        Path log1 = tmp.resolve("killed1.log");
        Process p1 = start(dir, log1, 300);
        ResumeTest.waitForEvents(log1, "\"member-finished\"", 9, p1);
        p1.destroyForcibly();
        assertTrue(p1.waitFor(30, TimeUnit.SECONDS));
        JsonNode killed = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals("Training", killed.get("phase").asText());
        List<JsonNode> before = new ArrayList<>();
        killed.get("arrivals").forEach(before::add);
        assertTrue(before.size() >= 6, "killed after some arrivals: " + before);

        Path log2 = tmp.resolve("killed2.log");
        Process p2 = start(dir, log2, 0);
        assertTrue(p2.waitFor(240, TimeUnit.SECONDS), "resumed run did not end");
        assertEquals(0, p2.exitValue(), () -> ResumeTest.read(log2));
        JsonNode status = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals("Complete", status.get("phase").asText());
        checkJudgedOnce(status);
        JsonNode after = status.get("arrivals");
        for (int i = 0; i < before.size(); i++) {
            JsonNode b = before.get(i);
            JsonNode a = after.get(i);
            for (String f : List.of("member", "step", "attempt", "score", "startedAt", "finishedAt")) {
                assertEquals(b.get(f), a.get(f), "arrival " + i + " kept its " + f);
            }
            if (!"waiting".equals(b.get("verdict").asText())) {
                assertEquals(b.get("verdict"), a.get("verdict"), "arrival " + i + ": a decision made is kept");
            }
        }
        // The lineage decided before the kill is the start of the final lineage, slot by slot.
        for (int m = 0; m < 6; m++) {
            JsonNode lb = killed.get("members").get(m).get("lineage");
            JsonNode la = status.get("members").get(m).get("lineage");
            for (int i = 0; i < lb.size(); i++) {
                assertEquals(lb.get(i), la.get(i), "member " + m + " lineage entry " + i);
            }
        }
    }

    /** Every (member, step) arrived once with a result that counts, and the final step's verdict is "last". */
    static void checkJudgedOnce(JsonNode status) {
        Set<String> seen = new HashSet<>();
        for (JsonNode a : status.get("arrivals")) {
            String verdict = a.get("verdict").asText();
            assertTrue(!"waiting".equals(verdict), "nobody is left waiting at the end: " + a);
            String key = a.get("member").asInt() + "@" + a.get("step").asInt();
            assertTrue(seen.add(key), "judged once: " + key);
            assertEquals(a.get("step").asInt() == 3, "last".equals(verdict), a.toString());
        }
        assertEquals(6 * 4, seen.size(), "every member-step arrived");
    }

    static JsonNode arrival(JsonNode status, int member, int step) {
        return StreamSupport.stream(status.get("arrivals").spliterator(), false)
                .filter(a -> a.get("member").asInt() == member && a.get("step").asInt() == step).findFirst()
                .orElseThrow(() -> new AssertionError("no arrival of member " + member + " step " + step));
    }

    static Process start(Path dir, Path log, long sleepMs) throws Exception {
        return start(dir, log, sleepMs, Map.of());
    }

    static Process start(Path dir, Path log, long sleepMs, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("FAKE_TRAINER_SLEEP_MS", Long.toString(sleepMs));
        return io.pbtnas.cli.support.Cli.start(log, all,
                "run", "-f", manifest.toString(), "--dir", dir.toString(), "--parallel", "3", "--json",
                "--trainer-command", io.pbtnas.cli.support.Cli.fakeTrainerCommand());
    }
}
