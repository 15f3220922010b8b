package io.pbtnas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trainer that keeps failing is retried, reported with its log, and replaced; the search still completes. */
class FailingMemberTest {
    @Test
    void aFailingMemberIsRetriedThenReplaced(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 2")
                .replace("trainer: {task: fake}", "trainer: {task: fake, env: {FAKE_TRAINER_FAIL_MEMBER: \"3\"}}")
                .replace("seed: 11", "seed: 11\n  failurePolicy: {maxRetries: 1}"));
        Path dir = tmp.resolve("work");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "--parallel", "2",
                "--trainer-command", Cli.fakeTrainerCommand());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gen 0  member 3  FAILED (attempt 0): trainer exited with code 1: "
                + "fake trainer: failing on purpose"), r.out());
        assertTrue(r.out().contains("gen 0  member 3  FAILED (attempt 1)"), "retried once: " + r.out());
        assertTrue(r.out().contains("1 failed"), r.out());
        assertTrue(Files.readString(dir.resolve("logs/member-3-gen-0-attempt-1.log")).contains("failing on purpose"));
        JsonNode status = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        JsonNode m3 = status.get("members").get(3);
        assertEquals(0, m3.get("failedAt").get(0).asInt(), m3.toString());
        assertEquals(1, m3.get("replacedAt").get(0).asInt(), "the failed slot got a new network: " + m3);
        assertEquals("Complete", status.get("phase").asText());
    }

    @Test
    void aSearchWhoseTrainersAllFailEndsWithExitCode1AndSaysWhyEvenWhenQuiet(@TempDir Path tmp) throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST);
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", tmp.resolve("w").toString(), "-q",
                "--trainer-command", "echo 'no GPU here' >&2; exit 1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("search failed: every remaining member failed in generation 0"), r.err());
        assertEquals("", r.out(), "quiet prints no result when there is none");
        assertTrue(Files.readString(tmp.resolve("w/status.json")).contains("no GPU here"), "the trainer's message");
    }
    @Test
    void aTrainerExitingTwoForBadInputIsNotRetriedAndItsMessageIsInTheStatus(@TempDir Path tmp) throws Exception {
        // Exit 2 is the contract's "bad input": deterministic, so maxRetries 3 must not re-run it.
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("seed: 11", "seed: 11\n  failurePolicy: {maxRetries: 3}"));
        Path dir = tmp.resolve("w");
        Cli.Result r = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "-q",
                "--trainer-command", "echo 'bad input: PBTNAS_TASK_ARGS.width must be positive' >&2; exit 2");
        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode status = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        for (JsonNode m : status.get("members")) {
            assertEquals(1, m.get("attempts").asInt(), "one attempt, no retry: " + m);
            assertTrue(m.get("message").asText().contains("bad input, not retried")
                    && m.get("message").asText().contains("width must be positive"), m.toString());
        }
        assertTrue(Files.notExists(dir.resolve("logs/member-0-gen-0-attempt-1.log")), "no second attempt ran");
    }
}
