package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.safetensors.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retried step in the local mode: attempt 0 of member 1 fails and leaves a process behind that
 * later overwrites everything in its output folder (a trainer in its grace period); attempt 1
 * succeeds. The files of attempt 1 are the ones that count, for the next generation, history.json,
 * best/ and `pbtnas eval`, and the late writer cannot touch them.
 */
class AttemptsLocalTest {
    static final String GARBAGE = "late garbage";

    @Test
    void aRetriedAttemptsFilesCountAndALateWriterOfTheFirstCannotReplaceThem(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 2")
                .replace("trainer: {task: fake}", "trainer: {task: fake, env: {FAKE_TRAINER_FAIL_ONCE_MEMBER: \"1\", "
                        + "FAKE_TRAINER_LATE_WRITE_MS: \"1500\"}}")
                .replace("seed: 11", "seed: 11\n  failurePolicy: {maxRetries: 1}"));
        Path dir = tmp.resolve("work");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "--parallel", "2",
                "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gen 0  member 1  FAILED (attempt 0)"), r.out());

        Path late = waitForGarbage(dir.resolve("members/1/gen-0"));
        assertEquals(dir.resolve("members/1/gen-0/attempt-0/model.safetensors"), late,
                "the late writer wrote into its own attempt's folder");

        JsonNode status = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        JsonNode m1 = status.get("members").get(1);
        assertEquals(1, m1.get("checkpointAttempts").get(0).asInt(), m1.toString());
        Path counted = dir.resolve("members/1/gen-0/attempt-1/model.safetensors");
        assertEquals("1", Safetensors.readMetadata(counted).get("pbtnas.epoch"), "attempt 1's checkpoint is whole");
        JsonNode history = Json.MAPPER.readTree(Files.readString(dir.resolve("history.json")));
        assertEquals("members/1/gen-0/attempt-1/model.safetensors",
                history.get("checkpoints").get("1").get("0").asText(), history.toString());

        // best/ is a copy of exactly the file the status names.
        String best = status.get("best").get("checkpoint").asText();
        assertTrue(best.matches("members/\\d+/gen-1/attempt-\\d+/model.safetensors"), best);
        assertArrayEquals(Files.readAllBytes(dir.resolve(best)), Files.readAllBytes(dir.resolve("best/model.safetensors")));

        // eval of the generation's folder evaluates the attempt that counted; the other attempt is refused.
        Cli.Result e = Cli.run("eval", dir.resolve("members/1/gen-0").toString(),
                "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, e.code(), e.out() + e.err());
        assertTrue(e.out().contains(counted.toString()), e.out());
        Cli.Result refused = Cli.run("eval", dir.resolve("members/1/gen-0/attempt-0").toString(),
                "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("did not count (members/1/gen-0/attempt-1/model.safetensors did"),
                refused.err());
    }

    /** The file the late writer filled (it runs 1.5 s after the failed attempt; the search may end first). */
    static Path waitForGarbage(Path genDir) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.walk(genDir)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    if (Files.size(p) == GARBAGE.length() && Files.readString(p).equals(GARBAGE)) {
                        return p;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the late writer wrote nothing under " + genDir);
    }
}
