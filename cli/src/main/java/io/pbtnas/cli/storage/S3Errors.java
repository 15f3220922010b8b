package io.pbtnas.cli.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's exceptions into IOExceptions whose message names the location, the S3 error code
 * and what to check, so a failed step's termination message says which bucket and why.
 */
final class S3Errors {
    private S3Errors() {
    }

    static IOException of(String action, Object where, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() != null && s3.awsErrorDetails().errorCode() != null
                    ? s3.awsErrorDetails().errorCode() : "HTTP " + s3.statusCode();
            String text = action + " " + where + ": " + code + " (HTTP " + s3.statusCode() + ")" + hint(code);
            return switch (s3.statusCode()) {
                case 404 -> new NoSuchFileException(where.toString(), null, action + ": " + code + hint(code));
                case 412 -> new FileAlreadyExistsException(where.toString(), null,
                        "already exists; an object is never replaced (each attempt writes its own keys)");
                default -> new IOException(text, e);
            };
        }
        return new IOException(action + " " + where + ": " + e.getMessage(), e);
    }

    private static String hint(String code) {
        return switch (code) {
            case "NoSuchBucket" -> ": the bucket does not exist (create it, or check the bucket name and endpoint)";
            case "NoSuchKey" -> ": no such object";
            case "InvalidAccessKeyId", "SignatureDoesNotMatch" ->
                    ": check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile)";
            case "AccessDenied" -> ": the credentials lack permission for this action on this bucket";
            default -> "";
        };
    }
}
