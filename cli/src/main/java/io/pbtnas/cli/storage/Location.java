package io.pbtnas.cli.storage;

import java.nio.file.Path;

/**
 * Where a command reads or writes: a local path, or an object (or key prefix) in an S3 bucket,
 * written {@code s3://bucket/key}. Every command argument that accepts both is parsed here, once.
 */
public sealed interface Location permits Location.Local, S3Location {

    /** A local file or folder. */
    record Local(Path path) implements Location {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** {@code s3://bucket/key} as an {@link S3Location}, anything else as a local path. */
    static Location parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty location: give a path or s3://bucket/key");
        }
        return S3Location.isS3(text) ? S3Location.parse(text) : new Local(Path.of(text));
    }
}
