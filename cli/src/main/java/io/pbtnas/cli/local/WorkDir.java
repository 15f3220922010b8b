package io.pbtnas.cli.local;

import io.pbtnas.core.layout.AtomicFiles;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.SearchStatus;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The local mode's work directory: it is the search root (members/, best/,
 * history.json, as on a cluster volume) plus the driver's own state:
 * status.json, search.json (the spec it was started with), report.html, logs/,
 * running/ (pids of live trainers) and a lock so two runs never share it.
 */
public record WorkDir(Path root) {
    public static final String STATUS = "status.json";
    public static final String SEARCH = "search.json";
    public static final String REPORT = io.pbtnas.core.layout.CheckpointLayout.REPORT;

    public WorkDir {
        root = root.toAbsolutePath().normalize();
    }

    public CheckpointLayout layout() {
        return new CheckpointLayout(root);
    }

    public Path status() {
        return root.resolve(STATUS);
    }

    public Path search() {
        return root.resolve(SEARCH);
    }

    public Path report() {
        return root.resolve(REPORT);
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path running() {
        return root.resolve("running");
    }

    public Optional<SearchStatus> loadStatus() throws IOException {
        if (!Files.exists(status())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readString(status()), SearchStatus.class));
        } catch (IOException e) {
            throw new IOException(status() + " is unreadable (" + e.getMessage() + "); it is only ever replaced "
                    + "atomically, so it was changed by hand: restore it or start again in a new --dir", e);
        }
    }

    public void saveStatus(SearchStatus s) throws IOException {
        AtomicFiles.writeString(status(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
    }

    /**
     * Takes the directory for this process. The OS releases the lock when the
     * process dies, even by SIGKILL, so a resumed run is never locked out.
     */
    public AutoCloseable lock() throws IOException {
        Files.createDirectories(root);
        FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IllegalStateException("work directory " + root + " is in use by another 'pbtnas run'; "
                    + "wait for it, stop it, or give another --dir");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            ch.close();
        };
    }
}
