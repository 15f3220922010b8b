package io.pbtnas.core.safetensors;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives a complete, fsynced temporary file its final name, failing when that name exists: a
 * checkpoint is never replaced, so a slow writer (a trainer still in its grace period, a second
 * run of the same step) cannot clobber what another one published.
 *
 * <p>Why link then unlink: on Linux {@code rename(2)}, which {@code Files.move} with ATOMIC_MOVE uses,
 * silently replaces an existing target, and Java has no {@code renameat2(RENAME_NOREPLACE)}.
 * {@code link(2)} is atomic and fails with EEXIST when the name is taken, on local file systems and
 * on NFS alike; readers see either no file or the whole file. The temporary name is removed after;
 * a crash in between leaves only a temporary file (swept on the next start).
 */
public final class NoReplace {
    private NoReplace() {
    }

    /**
     * Publishes {@code temp} as {@code target}; {@link FileAlreadyExistsException} (and {@code temp}
     * left for the caller to delete) when {@code target} exists.
     */
    public static void publish(Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists; a checkpoint is never "
                    + "replaced (each attempt writes its own directory)");
        } catch (UnsupportedOperationException | FileSystemException e) {
            // A volume without hard links (some FUSE or SMB mounts): check, then rename. Only a writer
            // racing us in the same instant could still be replaced there.
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists; a checkpoint is "
                        + "never replaced (each attempt writes its own directory)");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException a) {
                throw new IOException(target + ": the file system can neither link nor rename atomically", a);
            }
            return;
        }
        Files.delete(temp);
    }

    /** The infix of every temporary file our writers leave behind after a crash. */
    public static final String TEMP_INFIX = ".tmp-";

    /**
     * The temporary sibling a writer of {@code target} fills before publishing: {@code .<name>.tmp-<hex>}.
     * A random suffix: two writers of the same target (a retried pod beside a slow one) never share one.
     */
    public static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + TEMP_INFIX
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Whether {@code file} is such a temporary file (left by a writer that died before publishing). */
    public static boolean isTemporary(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.contains(TEMP_INFIX);
    }
}
