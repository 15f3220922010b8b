package io.pbtnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.cli.support.Cli;
import io.pbtnas.core.pod.StorageFailure;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.WithS3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pbtnas cleanup` (the operator's cleanup pod for a search in a bucket) and S3Objects.deleteUnder, on a real gateway. */
@WithS3Server
class S3CleanupTest {
    private static final String BUCKET = "cleanup-test";
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

    private static void put(Path file, String... keys) throws Exception {
        for (String k : keys) {
            s3.putNew(file, new S3Location(BUCKET, k));
        }
    }

    @Test
    void deletesEverythingUnderTheSearchRootAndKeepsASiblingPrefix(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        put(f, "searches/sib/a-1234abcd/members/0/gen-0/attempt-0/model.safetensors",
                "searches/sib/a-1234abcd/members/0/gen-0/attempt-0/metrics.json",
                "searches/sib/a-1234abcd/best/model.safetensors", "searches/sib/a-1234abcd/history.json",
                "searches/sib/a-1234abcd-other/history.json", "searches/sib/a-1234abcd.txt");
        Path log = tmp.resolve("termination-log");
        Cli.Result r = Cli.child(tmp.resolve("cleanup.log"), endpoint.awsEnvironment(), "cleanup", "--root",
                "s3://" + BUCKET + "/searches/sib/a-1234abcd", "--termination-log", log.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("deleted 4 objects under s3://" + BUCKET + "/searches/sib/a-1234abcd/"), r.out());
        assertEquals(Set.of("a-1234abcd-other/history.json", "a-1234abcd.txt"),
                s3.list(new S3Location(BUCKET, "searches/sib")).keySet());
        assertFalse(Files.exists(log));

        Cli.Result again = Cli.child(tmp.resolve("again.log"), endpoint.awsEnvironment(), "cleanup", "--root",
                "s3://" + BUCKET + "/searches/sib/a-1234abcd/");
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("deleted 0 objects"), again.out());
    }

    @Test
    void moreObjectsThanOneDeleteRequestTakesAreAllDeleted(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        S3Location root = new S3Location(BUCKET, "searches/ns/many-1234abcd");
        for (int i = 0; i < 1003; i++) {
            s3.putNew(f, root.resolve("members/" + i % 8 + "/gen-" + i / 8 + "/attempt-0/metrics.json"));
        }
        put(f, "searches/ns/many-1234abcd-sibling/x");
        assertEquals(1003, s3.deleteUnder(root));
        assertEquals(Map.of(), s3.list(root));
        assertTrue(s3.exists(new S3Location(BUCKET, "searches/ns/many-1234abcd-sibling/x")));
        assertThrows(IllegalArgumentException.class, () -> s3.deleteUnder(new S3Location(BUCKET, "")));
    }

    @Test
    void aWholeBucketOrALocalPathIsRefused(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("termination-log");
        for (String bucket : List.of("s3://" + BUCKET, "s3://" + BUCKET + "/")) {
            Cli.Result r = Cli.run("cleanup", "--root", bucket, "--termination-log", log.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--root: '" + bucket + "' has no key prefix; cleanup never deletes a whole "
                    + "bucket"), r.err());
        }
        Cli.Result local = Cli.run("cleanup", "--root", tmp.toString());
        assertEquals(2, local.code(), local.err());
        assertTrue(local.err().contains("--root: '" + tmp + "' is a local path") && local.err().contains("with rm"),
                local.err());
        assertTrue(Files.readString(log).startsWith("--root:"), "the termination message too");
    }

    @Test
    void refusedCredentialsAreAStorageFailureAndDeleteNothing(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        put(f, "searches/ns/kept-1234abcd/history.json");
        Map<String, String> env = new java.util.HashMap<>(endpoint.awsEnvironment());
        env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        Path log = tmp.resolve("termination-log");
        Cli.Result r = Cli.child(tmp.resolve("cleanup.log"), env, "cleanup", "--root",
                "s3://" + BUCKET + "/searches/ns/kept-1234abcd", "--termination-log", log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith(StorageFailure.PREFIX) && message.contains("SignatureDoesNotMatch"), message);
        assertTrue(s3.exists(new S3Location(BUCKET, "searches/ns/kept-1234abcd/history.json")));
    }
}
