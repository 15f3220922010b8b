package io.pbtnas.cli.storage;

import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.safetensors.ByteSource;
import io.pbtnas.core.safetensors.FileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A search's checkpoints, read by the path relative to the search root that plans carry
 * ({@code members/<m>/gen-<g>/...}): on a volume, or under a prefix in a bucket. Readers get a
 * {@link ByteSource} either way, so the mix is one code path.
 */
public sealed interface CheckpointTree permits CheckpointTree.OnVolume, CheckpointTree.InBucket {

    /** Opens the checkpoint; {@link NoSuchFileException} naming it when it is not there. */
    ByteSource open(String relative) throws IOException;

    /** Where {@code relative} is, for messages; IllegalArgumentException if it escapes the root. */
    String where(String relative);

    record OnVolume(CheckpointLayout layout) implements CheckpointTree {
        @Override
        public ByteSource open(String relative) throws IOException {
            Path p = layout.resolve(relative);
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString());
            }
            return FileSource.open(p);
        }

        @Override
        public String where(String relative) {
            return layout.resolve(relative).toString();
        }
    }

    record InBucket(S3Objects s3, S3Location root) implements CheckpointTree {
        @Override
        public ByteSource open(String relative) throws IOException {
            return s3.open(root.resolve(relative));
        }

        @Override
        public String where(String relative) {
            return root.resolve(relative).toString();
        }
    }
}
