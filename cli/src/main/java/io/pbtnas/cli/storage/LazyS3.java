package io.pbtnas.cli.storage;

import java.util.function.Supplier;

/** The S3 client, made from the standard AWS environment only when an s3:// location needs one. */
public final class LazyS3 implements Supplier<S3Objects>, AutoCloseable {
    private S3Objects s3;

    @Override
    public synchronized S3Objects get() {
        if (s3 == null) {
            s3 = S3Objects.fromEnvironment();
        }
        return s3;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
