package io.pbtnas.cli.storage;

import java.io.IOException;

/**
 * The bucket cannot be reached at all: it does not exist, the credentials are refused, or the
 * endpoint does not answer. Unlike a missing object, no retry of the step can succeed until someone
 * fixes the storage, so a container reports it with core's {@code StorageFailure} prefix and the
 * operator sets condition StorageUnavailable. The message names the action, the s3:// location, the
 * S3 error code (or the client error) and what to check.
 */
public final class StorageUnavailableException extends IOException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first StorageUnavailableException in {@code t}'s cause chain (itself included), or null. */
    public static StorageUnavailableException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageUnavailableException s) {
                return s;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
