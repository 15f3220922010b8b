package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.cli.support.StepOutputs;
import io.pbtnas.core.pod.StorageFailure;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pbtnas stage` (a member pod's first init container when the checkpoints live in a bucket), in a
 * child JVM with the standard AWS environment against a real gateway: what the operator reads back is
 * the exit code and the termination message.
 */
@WithS3Server
class S3StageTest {
    private static final String BUCKET = "stage-test";
    private static final S3Location ROOT = new S3Location(BUCKET, "searches/ns/small-1234abcd");
    private static final String CHECKPOINT = "members/3/gen-1/attempt-0/model.safetensors";
    private static S3Objects s3;
    private static S3Endpoint endpoint;

    @BeforeAll
    static void bucket(S3Endpoint e) throws Exception {
        endpoint = e;
        s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey()));
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    static Map<String, String> env(String name, String value) {
        Map<String, String> env = new HashMap<>(endpoint.awsEnvironment());
        env.put(name, value);
        return env;
    }

    @Test
    void downloadsTheCheckpointByteForByteAndKeepsItWhenRunAgain(@TempDir Path dir) throws Exception {
        Path local = StepOutputs.write(dir.resolve("trained"), StepOutputs.GENOME, 1);
        s3.putNew(local.resolve("model.safetensors"), ROOT.resolve(CHECKPOINT));
        Path out = Files.createDirectories(dir.resolve("emptydir"));
        Path log = dir.resolve("termination-log");
        Cli.Result r = Cli.child(dir.resolve("stage.log"), endpoint.awsEnvironment(), "stage", "--root", ROOT.toString(),
                "--output-root", out.toString(), "--checkpoint", CHECKPOINT, "--termination-log", log.toString());
        assertEquals(0, r.code(), r.out());
        assertEquals(-1L, Files.mismatch(local.resolve("model.safetensors"), out.resolve(CHECKPOINT)), "same bytes");
        assertFalse(Files.exists(log), "no termination message when it succeeded");
        try (var files = Files.list(out.resolve(CHECKPOINT).getParent())) {
            assertEquals(1, files.count(), "only the checkpoint, no temporary file left");
        }

        Cli.Result again = Cli.child(dir.resolve("again.log"), endpoint.awsEnvironment(), "stage", "--root",
                ROOT.toString(), "--output-root", out.toString(), "--checkpoint", CHECKPOINT);
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("already there"), again.out());
    }

    @Test
    void aMissingCheckpointIsNamedAndFailsTheStepNotTheStorage(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("emptydir"));
        Path log = dir.resolve("termination-log");
        String gone = "members/5/gen-2/attempt-0/model.safetensors";
        Cli.Result r = Cli.child(dir.resolve("stage.log"), endpoint.awsEnvironment(), "stage", "--root", ROOT.toString(),
                "--output-root", out.toString(), "--checkpoint", gone, "--termination-log", log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.contains("s3://stage-test/searches/ns/small-1234abcd/" + gone + " does not exist"), message);
        assertTrue(message.contains("never starts from a fresh initialisation"), message);
        assertFalse(StorageFailure.is(message), "a missing object is an ordinary failure: " + message);
        assertTrue(r.out().contains(message), r.out());
        assertFalse(Files.exists(out.resolve(gone)));
    }

    @Test
    void refusedCredentialsAreAStorageFailureNamingTheS3Code(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("emptydir"));
        Path log = dir.resolve("termination-log");
        Cli.Result r = Cli.child(dir.resolve("stage.log"), env("AWS_SECRET_ACCESS_KEY", "not-the-secret"), "stage",
                "--root", ROOT.toString(), "--output-root", out.toString(), "--checkpoint", CHECKPOINT,
                "--termination-log", log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith(StorageFailure.PREFIX), message);
        assertTrue(message.contains("SignatureDoesNotMatch") || message.contains("InvalidAccessKeyId"), message);
        assertTrue(message.contains("s3://stage-test/") && message.contains("check the credentials"), message);

        // an access key the server does not know at all
        Path unknownLog = dir.resolve("unknown-key-log");
        Cli.Result unknown = Cli.child(dir.resolve("unknown.log"), env("AWS_ACCESS_KEY_ID", "nobody-knows-me"), "stage",
                "--root", ROOT.toString(), "--output-root", out.toString(), "--termination-log", unknownLog.toString());
        assertEquals(1, unknown.code(), unknown.out());
        String m = Files.readString(unknownLog);
        assertTrue(m.startsWith(StorageFailure.PREFIX) && m.contains("check the credentials"), m);
        assertFalse(Files.exists(out.resolve(CHECKPOINT)));
    }

    @Test
    void aMissingBucketIsAStorageFailure(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("termination-log");
        Cli.Result r = Cli.child(dir.resolve("stage.log"), endpoint.awsEnvironment(), "stage", "--root",
                "s3://no-such-bucket/searches/ns/x-1234abcd", "--output-root", dir.resolve("emptydir").toString(),
                "--termination-log", log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith(StorageFailure.PREFIX + "checking the bucket of s3://no-such-bucket/searches/ns/"
                + "x-1234abcd: NoSuchBucket"), message);
        assertTrue(r.out().contains("pbtnas stage: " + message), r.out());
    }

    @Test
    void badFlagsExit2NamingTheFlag(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("termination-log");
        Cli.Result local = Cli.run("stage", "--root", dir.toString(), "--output-root", dir.toString(),
                "--termination-log", log.toString());
        assertEquals(2, local.code());
        assertTrue(local.err().contains("--root: '" + dir + "' is a local path"), local.err());
        assertTrue(Files.readString(log).startsWith("--root:"), "the termination message too");

        Cli.Result escapes = Cli.run("stage", "--root", ROOT.toString(), "--output-root", dir.toString(),
                "--checkpoint", "../other/model.safetensors");
        assertEquals(2, escapes.code());
        assertTrue(escapes.err().contains("--checkpoint:"), escapes.err());

        Cli.Result absolute = Cli.run("stage", "--root", ROOT.toString(), "--output-root", dir.toString(),
                "--checkpoint", "/members/3/gen-1/attempt-0/model.safetensors");
        assertEquals(2, absolute.code());
        assertTrue(absolute.err().contains("--checkpoint: '/members/3/gen-1/attempt-0/model.safetensors' must be a "
                + "file's path relative to --root"), absolute.err());

        Cli.Result missing = Cli.run("stage", "--root", ROOT.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--output-root"), missing.err());
    }
}
