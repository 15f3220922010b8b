package io.pbtnas.cli.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which SDK errors mean "the bucket cannot be reached at all" (a storage failure) and which an ordinary one. */
class S3ErrorsTest {
    private static final S3Location WHERE = new S3Location("bkt", "searches/ns/x/members/0/gen-0/attempt-0/model.safetensors");

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).message(code).build();
    }

    @Test
    void aBucketThatCannotBeUsedIsUnavailableNamingTheActionLocationAndCode() {
        for (var c : new Object[][] {{404, "NoSuchBucket"}, {403, "InvalidAccessKeyId"}, {403, "SignatureDoesNotMatch"},
            {403, "AccessDenied"}, {400, "InvalidBucketName"}, {403, null}, {403, "ExpiredToken"}}) {
            IOException e = S3Errors.of("reading", WHERE, s3((int) c[0], (String) c[1]));
            assertInstanceOf(StorageUnavailableException.class, e, c[1] + ": " + e.getMessage());
            String code = c[1] == null ? "HTTP 403" : (String) c[1];
            assertTrue(e.getMessage().startsWith("reading " + WHERE + ": " + code + " (HTTP " + c[0] + ")"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingKeyIsNoSuchFileAndOtherServerErrorsAreOrdinary() {
        IOException missing = S3Errors.of("reading", WHERE, s3(404, "NoSuchKey"));
        assertInstanceOf(NoSuchFileException.class, missing);
        assertEquals(WHERE.toString(), ((NoSuchFileException) missing).getFile());
        IOException busy = S3Errors.of("reading", WHERE, s3(503, "SlowDown"));
        assertFalse(busy instanceof StorageUnavailableException, busy.getMessage());
        assertTrue(busy.getMessage().contains("SlowDown (HTTP 503)"), busy.getMessage());
    }

    @Test
    void noConnectionIsUnavailableButALocalFileErrorIsNot() {
        IOException refused = S3Errors.of("uploading f to", WHERE, SdkClientException.builder()
                .message("Unable to execute HTTP request: Connection refused").cause(new ConnectException("Connection refused"))
                .build());
        assertInstanceOf(StorageUnavailableException.class, refused);
        assertTrue(refused.getMessage().contains(WHERE + ": Unable to execute HTTP request: Connection refused")
                && refused.getMessage().contains("AWS_ENDPOINT_URL"), refused.getMessage());
        IOException noCredentials = S3Errors.of("reading", WHERE, SdkClientException.create("Unable to load credentials"));
        assertInstanceOf(StorageUnavailableException.class, noCredentials);

        IOException disk = S3Errors.of("downloading", WHERE, SdkClientException.builder().message("write failed")
                .cause(new AccessDeniedException("/work/emptydir/model.safetensors")).build());
        assertFalse(disk instanceof StorageUnavailableException, disk.getMessage());
        IOException full = S3Errors.of("downloading", WHERE, SdkClientException.builder().message("write failed")
                .cause(new IOException("No space left on device")).build());
        assertFalse(full instanceof StorageUnavailableException, full.getMessage());
    }

    @Test
    void theStorageFailureIsFoundInsideAWrappingException() {
        StorageUnavailableException s = new StorageUnavailableException("checking s3://bkt/x: NoSuchBucket", null);
        assertEquals(s, StorageUnavailableException.in(new IOException("mixing failed", new RuntimeException(s))));
        assertEquals(null, StorageUnavailableException.in(new IOException("other")));
    }
}
