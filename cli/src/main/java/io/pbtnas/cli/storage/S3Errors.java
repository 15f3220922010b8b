package io.pbtnas.cli.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions into IOExceptions whose message names the location, the S3 error code
 * and what to check, so a failed step's termination message says which bucket and why. Three kinds:
 * the bucket cannot be reached at all ({@link StorageUnavailableException}: no such bucket, refused
 * credentials, no connection), a missing object ({@link NoSuchFileException}, naming the key), and
 * anything else (a plain IOException).
 */
final class S3Errors {
    /** Codes that say the bucket cannot be used with these settings, whatever the object. */
    static final Set<String> UNREACHABLE = Set.of("NoSuchBucket", "InvalidBucketName", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "AccessDenied",
            "XAdminUserNotFound"); // versitygw's answer (HTTP 404) to an access key it does not know

    private S3Errors() {
    }

    static IOException of(String action, Object where, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() != null && s3.awsErrorDetails().errorCode() != null
                    ? s3.awsErrorDetails().errorCode() : "HTTP " + s3.statusCode();
            String text = action + " " + where + ": " + code + " (HTTP " + s3.statusCode() + ")" + hint(code);
            if (unreachable(code, s3.statusCode())) {
                return new StorageUnavailableException(text, e);
            }
            return switch (s3.statusCode()) {
                case 404 -> new NoSuchFileException(where.toString(), null, action + ": " + code + hint(code));
                case 412 -> new FileAlreadyExistsException(where.toString(), null,
                        "already exists; an object is never replaced (each attempt writes its own keys)");
                default -> new IOException(text, e);
            };
        }
        if (e instanceof SdkClientException && !local(e)) {
            return new StorageUnavailableException(action + " " + where + ": " + e.getMessage()
                    + ": check the endpoint (AWS_ENDPOINT_URL), that the S3 service is up and reachable from here, and "
                    + "the credentials' source", e);
        }
        return new IOException(action + " " + where + ": " + e.getMessage(), e);
    }

    /** One object's error in a DeleteObjects answer, classified as above. */
    static IOException ofObject(String action, S3Location object, String code, String message) {
        String text = action + " " + object + ": " + code + (message == null || message.isBlank() ? "" : " " + message)
                + hint(code);
        return UNREACHABLE.contains(code) ? new StorageUnavailableException(text, null) : new IOException(text);
    }

    /**
     * Every 403 is a refusal of these credentials (a HEAD's carries no code); the other codes name a
     * bucket that is not there or a key that is not known.
     */
    static boolean unreachable(String code, int status) {
        return status == 403 || UNREACHABLE.contains(code);
    }

    /**
     * Whether a client error came from a local file (reading what is uploaded, writing what is
     * downloaded: a full disk) rather than from reaching the endpoint: an IOException in its causes
     * that the network code did not throw.
     */
    static boolean local(Throwable e) {
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof FileSystemException || c instanceof IOException && !network(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean network(Throwable io) {
        String type = io.getClass().getPackageName();
        StackTraceElement[] at = io.getStackTrace();
        String origin = at.length == 0 ? "" : at[0].getClassName();
        return type.startsWith("java.net") || type.startsWith("javax.net") || origin.startsWith("sun.net.")
                || origin.startsWith("java.net.") || origin.startsWith("sun.security.ssl.")
                || origin.startsWith("software.amazon.awssdk.http.");
    }

    private static String hint(String code) {
        return switch (code) {
            case "NoSuchBucket" -> ": the bucket does not exist (create it, or check the bucket name and endpoint)";
            case "NoSuchKey" -> ": no such object";
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "XAdminUserNotFound" ->
                    ": check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile)";
            case "AccessDenied" -> ": the credentials lack permission for this action on this bucket";
            case "InvalidBucketName" -> ": not a valid bucket name (check the s3://bucket/prefix)";
            case "HTTP 403" -> ": refused (a HEAD's answer has no error code): check the credentials and their "
                    + "permissions on this bucket";
            default -> "";
        };
    }
}
