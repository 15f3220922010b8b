package io.pbtnas.core.pod;

/**
 * The contract between the containers that talk to a search's bucket (the cli's stage, mix, verify,
 * export and cleanup) and the operator, which never reads the bucket itself: a container that cannot
 * reach the bucket at all (missing bucket, refused credentials, no connection) starts its termination
 * message with {@link #PREFIX}; the operator turns such a message into condition StorageUnavailable.
 * Anything else (a missing object, a refused checkpoint) is an ordinary failed step.
 */
public final class StorageFailure {
    public static final String PREFIX = "storage unavailable: ";

    private StorageFailure() {
    }

    /** The termination message for a bucket that cannot be reached; {@code detail} names the bucket and the S3 error. */
    public static String message(String detail) {
        return PREFIX + detail;
    }

    /** Whether a container's termination message reports an unreachable bucket. */
    public static boolean is(String terminationMessage) {
        return terminationMessage != null && terminationMessage.strip().startsWith(PREFIX);
    }

    /** The detail after the prefix (the message itself when it has none). */
    public static String detail(String terminationMessage) {
        String m = terminationMessage == null ? "" : terminationMessage.strip();
        return m.startsWith(PREFIX) ? m.substring(PREFIX.length()) : m;
    }
}
