package io.pbtnas.cli;


import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill-and-resume: `pbtnas run` is a child JVM, killed (SIGINT, then SIGKILL)
 * in the middle of generations and started again; it must end with exactly the
 * status, lineage and best network of an uninterrupted run. Uses the fast fake
 * trainer (test sources), since what is tested is the driver, not training.
 */
class ResumeTest {
    static final String MANIFEST = """
            apiVersion: pbtnas.io/v1alpha1
            kind: PbtNasSearch
            metadata: {name: resume}
            spec:
              population: 8
              generations: 3
              seed: 11
              mixing: {layerSwapProbability: 0.5}
              searchSpace:
                genes:
                  - {name: cell0, options: [conv3x3, conv5x5, skip]}
                  - {name: cell1, options: [conv3x3, conv5x5, skip]}
                  - {name: cell2, options: [conv3x3, conv5x5, skip]}
              trainer: {task: fake}
            """;

    @TempDir
    static Path tmp;
    static Path manifest;
    static Path reference;

    @BeforeAll
    static void uninterrupted() throws Exception {
        manifest = tmp.resolve("resume.yaml");
        Files.writeString(manifest, MANIFEST);
        reference = tmp.resolve("reference");
        Process p = start(reference, tmp.resolve("reference.log"), 0);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "uninterrupted run did not end");
        assertEquals(0, p.exitValue(), () -> "uninterrupted run failed:\n" + read(tmp.resolve("reference.log")));
    }

    @Test
    void killedRunsResumeToTheSameResult() throws Exception {
        Path dir = tmp.resolve("interrupted");
        // 1. Ctrl-C during generation 0: clean stop, exit 130, no trainer left behind.
        Path log1 = tmp.resolve("run1.log");
        Process p1 = start(dir, log1, 400);
        waitForEvents(log1, "\"member-finished\"", 2, p1);
        new ProcessBuilder("kill", "-INT", Long.toString(p1.pid())).start().waitFor();
        assertTrue(p1.waitFor(60, TimeUnit.SECONDS), "Ctrl-C did not stop the run");
        assertEquals(130, p1.exitValue(), () -> read(log1));
        assertTrue(read(log1).contains("run the same command to resume"), () -> read(log1));
        assertNoTrainersLeft(dir);
        JsonNode stopped = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals(0, stopped.get("generation").asInt(), "stopped in generation 0");

        // 2. SIGKILL in the middle of generation 1.
        Path log2 = tmp.resolve("run2.log");
        Process p2 = start(dir, log2, 400);
        waitForEvents(log2, "\"member-finished\",\"member\":\\d+,\"generation\":1", 3, p2);
        p2.destroyForcibly();
        assertTrue(p2.waitFor(30, TimeUnit.SECONDS));
        JsonNode killed = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals(1, killed.get("generation").asInt(), "killed in generation 1");
        assertEquals("Training", killed.get("phase").asText());

        // 3. Resume to the end.
        Path log3 = tmp.resolve("run3.log");
        Process p3 = start(dir, log3, 0);
        assertTrue(p3.waitFor(240, TimeUnit.SECONDS), "resumed run did not end");
        assertEquals(0, p3.exitValue(), () -> read(log3));
        assertTrue(read(log3).contains("\"resumed\":true"), () -> read(log3));

        assertEquals(Json.MAPPER.readTree(Files.readString(reference.resolve("status.json"))),
                Json.MAPPER.readTree(Files.readString(dir.resolve("status.json"))), "final status");
        assertEquals(Files.readString(reference.resolve("history.json")), Files.readString(dir.resolve("history.json")));
        assertArrayEquals(Files.readAllBytes(reference.resolve("best/model.safetensors")),
                Files.readAllBytes(dir.resolve("best/model.safetensors")), "best network bytes");
        JsonNode counted = Json.MAPPER.readTree(Files.readString(dir.resolve("history.json"))).get("checkpoints");
        for (int m = 0; m < 8; m++) {
            for (int g = 0; g < 3; g++) {
                Path rel = Path.of(counted.get("" + m).get("" + g).asText());
                assertArrayEquals(Files.readAllBytes(reference.resolve(rel)), Files.readAllBytes(dir.resolve(rel)),
                        rel.toString());
            }
        }
        JsonNode status = Json.MAPPER.readTree(Files.readString(dir.resolve("status.json")));
        assertEquals("Complete", status.get("phase").asText());
        long mixes = 0;
        for (JsonNode m : status.get("members")) {
            for (JsonNode e : m.get("lineage")) {
                mixes += "mix".equals(e.get("kind").asText()) ? 1 : 0;
            }
            assertEquals(0, m.get("attempts").asInt(), "no attempt was counted as failed by the interruptions");
        }
        assertEquals(4, mixes, "2 replacements after each of generations 0 and 1");
    }

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() throws Exception {
        Path dir = tmp.resolve("locked");
        Path log = tmp.resolve("locked.log");
        Process p = start(dir, log, 1500);
        try {
            waitForEvents(log, "\"member-started\"", 1, p);
            Cli.Result second = Cli.run("run", "-f", manifest.toString(), "--dir", dir.toString(), "-q");
            assertEquals(1, second.code(), second.err());
            assertTrue(second.err().contains("in use by another 'pbtnas run'"), second.err());
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            // Its user trainers have no watchdog: end them, or they write into the directory being deleted.
            new io.pbtnas.cli.local.Children(dir.resolve("running")).reapOrphans();
        }
    }

    static Process start(Path dir, Path log, long sleepMs) throws IOException {
        return Cli.start(log, Map.of("FAKE_TRAINER_SLEEP_MS", Long.toString(sleepMs)), "run", "-f",
                manifest.toString(), "--dir", dir.toString(), "--parallel", "2", "--json",
                "--trainer-command", Cli.fakeTrainerCommand());
    }

    /** Waits until the log has {@code count} lines matching {@code regex}. */
    static void waitForEvents(Path log, String regex, int count, Process p) throws Exception {
        java.util.regex.Pattern pat = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long n = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> pat.matcher(l).find()).count()
                    : 0;
            if (n >= count) {
                return;
            }
            assertTrue(p.isAlive(), () -> "run ended early:\n" + read(log));
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + count + " x " + regex + ":\n" + read(log));
    }

    static void assertNoTrainersLeft(Path dir) throws IOException {
        Path running = dir.resolve("running");
        if (Files.isDirectory(running)) {
            try (Stream<Path> s = Files.list(running)) {
                List<Path> left = s.toList();
                assertTrue(left.isEmpty(), "pid files left: " + left);
            }
        }
        // Our fake trainers carry this JVM's (unique) classpath on their command line.
        String cp = System.getProperty("java.class.path");
        assertFalse(ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains("FakeTrainer")
                && h.info().commandLine().orElse("").contains(cp)), "a trainer survived");
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no log)";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
