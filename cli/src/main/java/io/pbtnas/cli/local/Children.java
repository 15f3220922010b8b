package io.pbtnas.cli.local;

import io.pbtnas.core.layout.AtomicFiles;
import io.pbtnas.core.safetensors.NoReplace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The trainer processes this run started. Each one's pid and start time is
 * also kept in {@code <dir>/running/}, so that a run resumed after a SIGKILL
 * can end trainers its dead predecessor left behind (a user's trainer has no
 * watchdog) before starting the same members again. A user's trainer starts only once its
 * pid file is written (see {@link TrainerCommand#gatedArgv}), so none runs unrecorded.
 */
public final class Children {
    private final Path runningDir;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public Children(Path runningDir) {
        this.runningDir = runningDir;
    }

    /** Registers a started process; false (and the process is killed) when a stop is already under way. */
    boolean add(Process p, String name) throws IOException {
        live.add(p);
        Files.createDirectories(runningDir);
        Instant start = p.info().startInstant().orElse(Instant.EPOCH);
        AtomicFiles.writeString(runningDir.resolve(name + ".pid"), p.pid() + " " + start + "\n");
        if (stopping) {
            p.destroyForcibly();
            return false;
        }
        return true;
    }

    void remove(Process p, String name) throws IOException {
        live.remove(p);
        Files.deleteIfExists(runningDir.resolve(name + ".pid"));
    }

    public boolean stopping() {
        return stopping;
    }

    /** Ctrl-C: ask every trainer to stop, then force the ones that don't within a few seconds. */
    public void stopAll() {
        stopping = true;
        // Descendants first: a compound trainer command runs under a shell that would not pass the signal on.
        live.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Process p : live) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends trainers recorded by an earlier run of this directory that are still alive; returns how many. */
    public int reapOrphans() throws IOException {
        if (!Files.isDirectory(runningDir)) {
            return 0;
        }
        int killed = 0;
        try (Stream<Path> files = Files.list(runningDir)) {
            // A pid file still under its temporary name: the run was killed between writing and renaming it.
            for (Path f : files.filter(p -> p.toString().endsWith(".pid") || (AtomicFiles.isTemporary(p)
                    && p.getFileName().toString().contains(".pid" + NoReplace.TEMP_INFIX))).toList()) {
                String[] parts = Files.readString(f, StandardCharsets.UTF_8).trim().split(" ");
                Optional<ProcessHandle> h = parsePid(parts[0]).flatMap(ProcessHandle::of);
                // The start time guards against a recycled pid belonging to someone else.
                if (h.isPresent() && parts.length > 1
                        && h.get().info().startInstant().map(Instant::toString).orElse("").equals(parts[1])) {
                    // Descendants first: a compound trainer command runs under a shell.
                    h.get().descendants().forEach(ProcessHandle::destroyForcibly);
                    h.get().destroyForcibly();
                    try {
                        h.get().onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // Still going after a SIGKILL: nothing more we can do; the atomic writes keep us safe.
                    }
                    killed++;
                }
                Files.deleteIfExists(f);
            }
        }
        return killed;
    }

    private static Optional<Long> parsePid(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
