package io.pbtnas.cli.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.VersityGateway;
import io.pbtnas.testkit.s3.WithS3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** What a step sees when the bucket fails: the gateway going away mid-upload, wrong credentials. */
@WithS3Server
class S3FaultsTest {

    private static S3Settings settings(S3Endpoint e) {
        return S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey());
    }

    @Test
    void theGatewayStoppedMidUploadFailsTheAttemptByNameAndARetryCompletes(VersityGateway gateway, @TempDir Path dir)
            throws IOException {
        S3Endpoint e = gateway.endpoint();
        try (S3Objects setup = new S3Objects(S3Clients.create(settings(e)), 5L << 20)) {
            setup.createBucket("faults");
        }
        Path attempt = Files.createDirectories(dir.resolve("attempt"));
        Files.write(attempt.resolve("model.safetensors"), S3ObjectsTest.random(12 << 20, 9)); // 3 parts
        Files.writeString(attempt.resolve("metrics.json"), "{\"score\":0.7}");
        S3Location first = new S3Location("faults", "members/0/gen-0/attempt-0");
        // stops the gateway once the first part is in: the upload is cut in its middle, not before it
        AtomicBoolean stopped = new AtomicBoolean();
        ExecutionInterceptor stopAfterFirstPart = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.response() instanceof UploadPartResponse && stopped.compareAndSet(false, true)) {
                    gateway.stop();
                }
            }
        };
        try (S3Objects s3 = new S3Objects(S3Clients.create(settings(e), List.of(stopAfterFirstPart)), 5L << 20)) {
            IOException failed = assertThrows(IOException.class, () -> s3.putAttempt(attempt, first));
            assertTrue(stopped.get(), "the gateway was stopped after the first part");
            assertTrue(failed.getMessage().contains("s3://faults/members/0/gen-0/attempt-0/model.safetensors"),
                    failed.getMessage());
            gateway.start();
            // nothing partial counts: no object of the attempt exists, metrics.json least of all
            assertFalse(s3.exists(first.resolve("model.safetensors")));
            assertFalse(s3.exists(first.resolve("metrics.json")));
            S3Location retry = new S3Location("faults", "members/0/gen-0/attempt-1");
            s3.putAttempt(attempt, retry);
            assertEquals(java.util.Set.of("metrics.json", "model.safetensors"), s3.list(retry).keySet());
        } finally {
            gateway.start();
        }
    }

    @Test
    void wrongCredentialsNameTheBucketAndTheS3ErrorCode(S3Endpoint e, @TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("x"), "x");
        try (S3Objects s3 = new S3Objects(S3Clients.create(S3Settings.of(e.url(), e.region(), e.accessKeyId(),
                "not-the-secret")), 5L << 20)) {
            IOException wrong = assertThrows(IOException.class, () -> s3.putNew(f, new S3Location("faults-creds", "x")));
            assertTrue(wrong.getMessage().contains("s3://faults-creds/x"), wrong.getMessage());
            assertTrue(wrong.getMessage().contains("SignatureDoesNotMatch"), wrong.getMessage());
            assertTrue(wrong.getMessage().contains("check the credentials"), wrong.getMessage());
        }
    }
}
