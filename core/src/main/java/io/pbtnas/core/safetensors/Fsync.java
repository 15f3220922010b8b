package io.pbtnas.core.safetensors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of a directory, so a rename inside it survives a crash. */
public final class Fsync {
    private Fsync() {
    }

    public static void directory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync a directory; the rename itself is still atomic there.
            if (!"Is a directory".equals(e.getMessage()) && !(e instanceof java.nio.file.AccessDeniedException)) {
                throw e;
            }
        }
    }
}
