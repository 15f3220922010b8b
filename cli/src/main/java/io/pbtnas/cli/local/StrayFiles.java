package io.pbtnas.cli.local;

import io.pbtnas.core.layout.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary files a killed run left in its work directory ({@code .report.html.tmp-*},
 * {@code members/../.input.safetensors.tmp-*}, {@code running/.x.pid.tmp-*}, ...): never
 * published, so nothing reads them. Swept when a run starts, after the trainers of the killed run
 * were ended and with the directory's lock held, so no live writer owns one.
 */
final class StrayFiles {
    private StrayFiles() {
    }

    /** Deletes every temporary file under {@code root}; returns how many. */
    static int sweep(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        List<Path> stray;
        try (Stream<Path> s = Files.walk(root)) {
            stray = s.filter(p -> AtomicFiles.isTemporary(p) && Files.isRegularFile(p)).toList();
        }
        for (Path p : stray) {
            Files.deleteIfExists(p);
        }
        return stray.size();
    }
}
