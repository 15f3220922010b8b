package io.pbtnas.core.layout;

import io.pbtnas.core.safetensors.Fsync;
import io.pbtnas.core.safetensors.NoReplace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small files written the checkpoint way: temp, fsync, rename. Two kinds: a step's outputs
 * (metrics.json beside its checkpoint) are {@linkplain #create created} once and never replaced;
 * the driver's own documents (status.json, report.html, history.json, best/) are
 * {@linkplain #writeString rewritten} whole, each version complete.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code text} atomically (a driver's document). */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        publish(target, bytes, true);
    }

    /**
     * Writes {@code target} once: FileAlreadyExistsException, and the existing file untouched, when it
     * exists (a step's output: another run of the same step published first).
     */
    public static void createString(Path target, String text) throws IOException {
        publish(target, text.getBytes(StandardCharsets.UTF_8), false);
    }

    private static void publish(Path target, byte[] bytes, boolean replace) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path temp = tempFor(abs);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            if (replace) {
                Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                NoReplace.publish(temp, abs);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        Fsync.directory(abs.getParent());
    }

    /** Copies a file the same way: the target is either absent, the old file, or the complete copy. */
    public static void copy(Path source, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path temp = tempFor(abs);
        try {
            Files.copy(source, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        Fsync.directory(abs.getParent());
    }

    /** Whether {@code file} is a temporary file of one of these writers or SafetensorsWriter. */
    public static boolean isTemporary(Path file) {
        return NoReplace.isTemporary(file);
    }

    private static Path tempFor(Path abs) {
        return NoReplace.tempFor(abs);
    }
}
