package io.pbtnas.cli.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removing a directory tree; a file someone else removed first is not an error. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code dir} and everything below it; false when there was nothing to delete. */
    public static boolean delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return false;
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
        return true;
    }
}
