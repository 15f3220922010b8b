package io.pbtnas.cli.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocationTest {
    @Test
    void s3UrlsAndPathsAreTold() {
        assertEquals(new S3Location("team-bucket", "searches/ns/fmnist-1234abcd/best"),
                Location.parse("s3://team-bucket/searches/ns/fmnist-1234abcd/best"));
        assertEquals(new S3Location("team-bucket", ""), Location.parse("s3://team-bucket"));
        assertEquals(new Location.Local(Path.of("work/best")), Location.parse("work/best"));
        assertEquals("s3://b-1/a/b/members/0/gen-1/input.safetensors",
                S3Location.parse("s3://b-1/a/b").resolve("members/0/gen-1/input.safetensors").toString());
        assertEquals("a/b/", S3Location.parse("s3://b-1/a/b/").prefix());
    }

    @Test
    void badBucketsAndKeysAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Location.parse("s3://Team_Bucket/x"))
                .getMessage().contains("bucket 'Team_Bucket'"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket/a/../b"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket/a//b"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket/a").resolve("../x"));
    }

    @Test
    void theStandardEnvironmentDecidesEndpointRegionAndPathStyle() {
        S3Settings aws = S3Settings.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"));
        assertEquals(new S3Settings(Optional.empty(), Optional.of("eu-west-1"), false, Optional.empty()), aws);
        S3Settings minio = S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://minio:9000"));
        assertEquals(Optional.of(URI.create("http://minio:9000")), minio.endpoint());
        assertTrue(minio.forcePathStyle(), "custom endpoints are path-style by default");
        S3Settings gcs = S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "https://storage.googleapis.com",
                "AWS_ENDPOINT_URL_S3", "https://s3.example", "PBTNAS_S3_FORCE_PATH_STYLE", "false"));
        assertEquals(Optional.of(URI.create("https://s3.example")), gcs.endpoint(), "the S3-specific one wins");
        assertEquals(false, gcs.forcePathStyle());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "minio:9000"))).getMessage()
                .contains("AWS_ENDPOINT_URL"));
    }
}
