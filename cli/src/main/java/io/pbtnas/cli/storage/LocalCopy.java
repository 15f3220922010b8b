package io.pbtnas.cli.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A location as a local path for commands that hand files to a trainer or read them whole (eval,
 * report): a local path as it is; an {@code s3://} object or prefix downloaded into a temporary
 * folder that mirrors the keys (so {@code members/<m>/gen-<g>} and the search's record above it
 * keep their places), deleted on close.
 */
public final class LocalCopy implements AutoCloseable {
    private static final Pattern MEMBER_PREFIX = Pattern.compile("^(.*?)/?members/\\d+/gen-\\d+(/attempt-\\d+)?/?$");

    private final Path path;
    private final Path temp;
    private final String bucket;

    private LocalCopy(Path path, Path temp, String bucket) {
        this.path = path;
        this.temp = temp;
        this.bucket = bucket;
    }

    /**
     * {@code records} are files of the search's root (e.g. search.json) fetched too when the
     * location is a member's folder below it, if they exist.
     */
    public static LocalCopy of(Location where, S3Objects s3, String... records) throws IOException {
        if (where instanceof Location.Local l) {
            return new LocalCopy(l.path(), null, null);
        }
        S3Location at = (S3Location) where;
        Path temp = Files.createTempDirectory("pbtnas-s3-");
        try {
            Path mirror = temp.resolve(at.bucket());
            Path local = at.key().isEmpty() ? mirror : mirror.resolve(at.key());
            if (!at.key().isEmpty() && !at.key().endsWith("/") && s3.exists(at)) {
                s3.download(at, local); // one object
            } else if (s3.downloadTree(at, local).isEmpty()) {
                throw new IllegalArgumentException(at + ": no object there and none under it (check the bucket and the"
                        + " key; a folder is a key prefix)");
            }
            Matcher m = MEMBER_PREFIX.matcher(at.key());
            if (m.matches()) {
                S3Location root = new S3Location(at.bucket(), m.group(1));
                for (String r : records) {
                    if (s3.exists(root.resolve(r))) {
                        s3.download(root.resolve(r), mirror.resolve(root.prefix() + r));
                    }
                }
            }
            return new LocalCopy(local, temp, at.bucket());
        } catch (IOException | RuntimeException e) {
            delete(temp);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** A message about the local copy, its paths written as the s3:// locations they mirror. */
    public String named(String message) {
        if (temp == null || message == null) {
            return message;
        }
        return message.replace(temp.resolve(bucket).toString(), S3Location.SCHEME + bucket);
    }

    @Override
    public void close() throws IOException {
        if (temp != null) {
            delete(temp);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
