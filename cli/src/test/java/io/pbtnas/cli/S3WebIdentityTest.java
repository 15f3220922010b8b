package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search without credentialsSecret relies on the SDK's default chain, whose first choice in a pod is web
 * identity (EKS IRSA: a projected token file and a role). That provider needs the SDK's STS module at run
 * time and, without it, fails with a class-path message before asking anyone. Here the token exchange goes to
 * the test gateway, which is no STS and refuses it: what matters is that it was attempted.
 */
@WithS3Server
class S3WebIdentityTest {

    @Test
    void withNoKeysTheWebIdentityTokenIsExchangedThroughSts(S3Endpoint e, @TempDir Path tmp) throws Exception {
        try (S3Objects s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey()))) {
            s3.createBucket("web-identity");
        }
        Path token = Files.writeString(tmp.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl");
        Map<String, String> env = Map.of(
                "AWS_ENDPOINT_URL", e.url().toString(),
                "AWS_REGION", e.region(),
                "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pbtnas-search",
                "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", tmp.resolve("no-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        Cli.Result r = Cli.child(tmp.resolve("stage.log"), env, "stage", "--root", "s3://web-identity/searches",
                "--output-root", tmp.resolve("out").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("WebIdentityTokenFileCredentialsProvider"), r.out());
        assertFalse(r.out().contains("must be on the class path"), "the STS module is missing: " + r.out());
        assertTrue(r.out().contains("Service: Sts"), "the token was not sent to STS: " + r.out());
    }
}
