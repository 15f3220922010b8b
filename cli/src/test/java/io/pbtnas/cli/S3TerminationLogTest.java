package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.pod.StorageFailure;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pbtnas mix` and `pbtnas export` with --termination-log against a real gateway: a bucket that cannot
 * be reached is a storage failure (core's StorageFailure prefix), anything else is written as it is.
 */
@WithS3Server
class S3TerminationLogTest {
    private static final String STATUS = "{\"phase\":\"Complete\",\"generation\":0,\"best\":{\"member\":0,\"score\":0.5,"
            + "\"genome\":{\"cell0\":\"a\"},\"checkpoint\":\"members/0/gen-0/attempt-0/model.safetensors\","
            + "\"generation\":0}}";
    private static final String SPACE = "{\"genes\":[{\"name\":\"cell0\",\"options\":[\"a\",\"b\"]}]}";

    @Test
    void mixWritesAStorageFailureForAMissingBucketAndThePlainMessageForAMissingParent(S3Endpoint e, @TempDir Path dir)
            throws Exception {
        try (S3Objects s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(),
                e.secretAccessKey()))) {
            s3.createBucket("mix-log-test");
        }
        Path out = Files.createDirectories(dir.resolve("emptydir"));
        Path log = dir.resolve("termination-log");
        Cli.Result bucket = Cli.child(dir.resolve("bucket.log"), e.awsEnvironment(), "mix", "--root",
                "s3://no-such-bucket/x", "--output-root", out.toString(), "--plan", MixCommandTest.PLAN,
                "--search-space", MixCommandTest.SPACE, "--termination-log", log.toString());
        assertEquals(1, bucket.code(), bucket.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith(StorageFailure.PREFIX + "reading s3://no-such-bucket/x/members/1/gen-0/"
                + "model.safetensors: NoSuchBucket"), message);

        Path missingLog = dir.resolve("missing-log");
        Cli.Result missing = Cli.child(dir.resolve("missing.log"), e.awsEnvironment(), "mix", "--root",
                "s3://mix-log-test/searches/ns/gone-1234abcd", "--output-root", out.toString(), "--plan",
                MixCommandTest.PLAN, "--search-space", MixCommandTest.SPACE, "--termination-log", missingLog.toString());
        assertEquals(2, missing.code(), missing.out());
        String m = Files.readString(missingLog);
        assertTrue(m.startsWith("--plan.parentCheckpoint: s3://mix-log-test/searches/ns/gone-1234abcd/members/1/gen-0/"
                + "model.safetensors does not exist"), m);
        assertFalse(StorageFailure.is(m), m);
    }

    @Test
    void exportWritesAStorageFailureForAMissingBucket(S3Endpoint e, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("termination-log");
        Cli.Result r = Cli.child(dir.resolve("export.log"), e.awsEnvironment(), "export", "--root",
                "s3://no-such-bucket/searches/ns/x-1234abcd", "--status", STATUS, "--search-space", SPACE,
                "--termination-log", log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith(StorageFailure.PREFIX) && message.contains("s3://no-such-bucket/searches/ns/"
                + "x-1234abcd/members/0/gen-0/attempt-0/model.safetensors: NoSuchBucket"), message);

        Path badLog = dir.resolve("bad-log");
        Cli.Result bad = Cli.run("export", "--root", "s3://no-such-bucket/x", "--status", "{\"phase\":\"Training\"}",
                "--search-space", SPACE, "--termination-log", badLog.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(Files.readString(badLog).startsWith("--status.best: missing"), Files.readString(badLog));
    }
}
