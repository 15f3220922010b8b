package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.local.TrainerCommand;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.layout.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a `kill -9` of `pbtnas run` can leave, and the resumed run cleaning it up: a user's trainer
 * whose pid file was still under its temporary name (killed between writing and renaming it), and
 * temporary files of a report and a mixed child being written.
 */
class KilledRunLeftoversTest {
    @Test
    void theResumedRunEndsATrainerWhosePidFileWasStillTemporaryAndSweepsTemporaryFiles(@TempDir Path tmp)
            throws Exception {
        Path manifest = tmp.resolve("m.yaml");
        Files.writeString(manifest, ResumeTest.MANIFEST.replace("generations: 3", "generations: 2"));
        Path dir = tmp.resolve("work");
        Path running = dir.resolve("running");
        Process first = start(manifest, dir, tmp.resolve("run1.log"), 120_000);
        List<Path> pids = waitForPidFiles(running, 2, first, tmp.resolve("run1.log"));
        first.destroyForcibly(); // kill -9
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));

        // The instant the kill can hit: one trainer's pid file written but not yet renamed ...
        Path pidFile = pids.get(0);
        long pid = Long.parseLong(Files.readString(pidFile).trim().split(" ")[0]);
        ProcessHandle orphan = ProcessHandle.of(pid).orElseThrow();
        assertTrue(orphan.isAlive(), "a user's trainer has no watchdog: it outlives the killed run");
        Files.move(pidFile, running.resolve("." + pidFile.getFileName() + ".tmp-3f9a0c1d2b"));
        // ... and other temporary files half written.
        Files.writeString(dir.resolve(".report.html.tmp-5ca1ab1e"), "<html><body>half a rep");
        Files.createDirectories(dir.resolve("members/0/gen-1"));
        Files.write(dir.resolve("members/0/gen-1/.input.safetensors.tmp-0ddba11"), new byte[] {8, 0, 0, 0});

        Path log2 = tmp.resolve("run2.log");
        Process resumed = start(manifest, dir, log2, 0);
        try {
            assertTrue(resumed.waitFor(240, TimeUnit.SECONDS), "the resumed run did not end");
            assertEquals(0, resumed.exitValue(), () -> ResumeTest.read(log2));
            assertTrue(orphan.onExit().get(10, TimeUnit.SECONDS) != null && !orphan.isAlive(),
                    "the trainer whose pid file was temporary still runs");
            try (Stream<Path> s = Files.walk(dir)) {
                assertEquals(List.of(), s.filter(AtomicFiles::isTemporary).toList(), "temporary files left");
            }
            // The orphan above at least; the other trainer may have finished its short step before the resume.
            assertTrue(ResumeTest.read(log2).matches("(?s).*ended [12] trainer process\\(es\\) left running.*"),
                    () -> ResumeTest.read(log2));
        } finally {
            orphan.destroyForcibly();
            resumed.destroyForcibly();
        }
    }

    @Test
    void aUsersTrainerStartsOnlyOnceTheDriverSaysGo(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("started");
        TrainerCommand c = TrainerCommand.custom("touch " + marker);
        // The driver died before recording the pid: standard input closes without the go line.
        Process p = new ProcessBuilder(c.gatedArgv()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue());
        assertFalse(Files.exists(marker), "the trainer ran although its pid was never recorded");
        Process go = new ProcessBuilder(c.gatedArgv()).start();
        go.getOutputStream().write('\n');
        go.getOutputStream().flush();
        assertTrue(go.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, go.exitValue());
        assertTrue(Files.exists(marker));
    }

    static Process start(Path manifest, Path dir, Path log, long sleepMs) throws Exception {
        return Cli.start(log, Map.of("FAKE_TRAINER_SLEEP_MS", Long.toString(sleepMs)), "run", "-f",
                manifest.toString(), "--dir", dir.toString(), "--parallel", "2", "--json",
                "--trainer-command", Cli.fakeTrainerCommand());
    }

    static List<Path> waitForPidFiles(Path running, int n, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(running)) {
                try (Stream<Path> s = Files.list(running)) {
                    List<Path> pids = s.filter(f -> f.toString().endsWith(".pid")).sorted().toList();
                    if (pids.size() >= n) {
                        return pids;
                    }
                }
            }
            assertTrue(p.isAlive(), () -> "run ended early:\n" + ResumeTest.read(log));
            Thread.sleep(50);
        }
        throw new AssertionError("no " + n + " trainers started:\n" + ResumeTest.read(log));
    }
}
