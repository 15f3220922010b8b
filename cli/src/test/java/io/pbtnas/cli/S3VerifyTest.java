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
import io.pbtnas.testkit.s3.VersityGateway;
import io.pbtnas.testkit.s3.WithS3Server;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pbtnas verify --upload` (a member pod's main container when the checkpoints live in a bucket) and
 * `--prune s3://...`, in a child JVM with the standard AWS environment against a real gateway.
 */
@WithS3Server
class S3VerifyTest {
    private static final String BUCKET = "verify-test";
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

    static S3Location attempt(String search, int member, int gen, int attempt) {
        return new S3Location(BUCKET, "searches/ns/" + search + "/members/" + member + "/gen-" + gen + "/attempt-"
                + attempt);
    }

    static Cli.Result verify(Path log, Path dir, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "--dir", dir.toString(), "--genome",
                StepOutputs.GENOME, "--epoch", "2"));
        args.addAll(List.of(more));
        return Cli.child(log, endpoint.awsEnvironment(), args.toArray(String[]::new));
    }

    @Test
    void validOutputsGoUpWholeEveryFileOfTheFolder(@TempDir Path tmp) throws Exception {
        Path dir = StepOutputs.write(tmp.resolve("attempt-0"), StepOutputs.GENOME, 2);
        S3Location target = attempt("up-1234abcd", 3, 1, 0);
        Path log = tmp.resolve("termination-log");
        Cli.Result r = verify(tmp.resolve("verify.log"), dir, "--upload", target.toString(), "--termination-log",
                log.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("uploaded 3 objects to " + target + " (metrics.json last)"), r.out());
        assertEquals(StepOutputs.files(dir), s3.list(target), "every file of the folder, with its size");
        assertEquals(-1L, Files.mismatch(dir.resolve("model.safetensors"),
                download(target.resolve("model.safetensors"), tmp.resolve("back"))));
        assertFalse(Files.exists(log));
    }

    @Test
    void outputsThatFailACheckAreNeverUploaded(@TempDir Path tmp) throws Exception {
        Path dir = StepOutputs.write(tmp.resolve("attempt-0"), StepOutputs.GENOME, 2);
        try (FileChannel c = FileChannel.open(dir.resolve("model.safetensors"), StandardOpenOption.WRITE)) {
            c.truncate(c.size() / 2);
        }
        S3Location target = attempt("truncated-1234abcd", 0, 0, 0);
        Path log = tmp.resolve("termination-log");
        Cli.Result r = verify(tmp.resolve("verify.log"), dir, "--upload", target.toString(), "--termination-log",
                log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.contains("output check 'checkpoint parses'"), message);
        assertFalse(StorageFailure.is(message), message);
        assertEquals(Map.of(), s3.list(new S3Location(BUCKET, "searches/ns/truncated-1234abcd")), "nothing uploaded");
    }

    @Test
    void theGatewayGoneIsAStorageFailureAndTheSameVerifySucceedsOnceItIsBack(VersityGateway gateway, @TempDir Path tmp)
            throws Exception {
        Path dir = StepOutputs.write(tmp.resolve("attempt-0"), StepOutputs.GENOME, 2);
        S3Location target = attempt("down-1234abcd", 1, 4, 0);
        Path log = tmp.resolve("termination-log");
        gateway.stop();
        Cli.Result r;
        try {
            r = verify(tmp.resolve("verify.log"), dir, "--upload", target.toString(), "--termination-log",
                    log.toString());
        } finally {
            gateway.start();
        }
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith(StorageFailure.PREFIX + "uploading "), message);
        assertTrue(message.contains(target + "/"), "names the bucket and key: " + message);
        assertTrue(message.contains("Connection refused") && message.contains("AWS_ENDPOINT_URL"), message);
        assertTrue(r.out().contains("pbtnas verify: " + message), r.out());
        assertEquals(Map.of(), s3.list(target), "nothing of the attempt is there");

        Cli.Result again = verify(tmp.resolve("again.log"), dir, "--upload", target.toString());
        assertEquals(0, again.code(), again.out());
        assertEquals(StepOutputs.files(dir), s3.list(target));
    }

    @Test
    void anAttemptKeyTakenAlreadyFailsTheStepAndReplacesNothing(@TempDir Path tmp) throws Exception {
        Path dir = StepOutputs.write(tmp.resolve("attempt-0"), StepOutputs.GENOME, 2);
        S3Location target = attempt("taken-1234abcd", 2, 0, 0);
        Path other = Files.writeString(tmp.resolve("other"), "another writer's checkpoint");
        s3.putNew(other, target.resolve("model.safetensors"));
        Path log = tmp.resolve("termination-log");
        Cli.Result r = verify(tmp.resolve("verify.log"), dir, "--upload", target.toString(), "--termination-log",
                log.toString());
        assertEquals(1, r.code(), r.out());
        String message = Files.readString(log);
        assertTrue(message.startsWith("--upload: " + target.resolve("model.safetensors") + " already exists"), message);
        assertFalse(StorageFailure.is(message), message);
        assertEquals("another writer's checkpoint", s3.readString(target.resolve("model.safetensors")), "not replaced");
        assertFalse(s3.exists(target.resolve("metrics.json")), "the result does not count");
    }

    @Test
    void pruneDeletesOnlyThatMembersGenerationFolder(@TempDir Path tmp) throws Exception {
        Path dir = StepOutputs.write(tmp.resolve("attempt-0"), StepOutputs.GENOME, 2);
        String root = "searches/ns/prune-1234abcd/";
        List<String> kept = List.of("members/1/gen-1/attempt-0/model.safetensors", "members/1/gen-01/attempt-0/x",
                "members/2/gen-0/attempt-0/model.safetensors", "members/1/gen-0.txt", "history.json");
        List<String> pruned = List.of("members/1/gen-0/attempt-0/model.safetensors",
                "members/1/gen-0/attempt-0/metrics.json", "members/1/gen-0/attempt-1/model.safetensors",
                "members/1/gen-0/input.safetensors");
        Path f = Files.writeString(tmp.resolve("f"), "x");
        for (String k : concat(kept, pruned)) {
            s3.putNew(f, new S3Location(BUCKET, root + k));
        }
        Cli.Result r = verify(tmp.resolve("verify.log"), dir, "--prune", "s3://" + BUCKET + "/" + root
                + "members/1/gen-0", "--prune", "s3://" + BUCKET + "/" + root + "members");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("pruned s3://" + BUCKET + "/" + root + "members/1/gen-0/ (4 objects)"), r.out());
        assertTrue(r.out().contains("--prune s3://" + BUCKET + "/" + root + "members: not a members/<m>/gen-<g> "
                + "folder; nothing deleted"), r.out());
        assertEquals(Set.copyOf(kept), s3.list(new S3Location(BUCKET, root)).keySet());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Path download(S3Location object, Path to) throws Exception {
        s3.download(object, to);
        return to;
    }

    @Test
    void badUploadTargetsExit2NamingTheFlag(@TempDir Path tmp) throws Exception {
        Path dir = StepOutputs.write(tmp.resolve("attempt-0"), StepOutputs.GENOME, 2);
        for (String bad : List.of(tmp.toString(), "s3://" + BUCKET + "/searches/ns/x/members/1/gen-0",
                "s3://" + BUCKET + "/members/1/gen-0/attempt-0/../attempt-1")) {
            Cli.Result r = Cli.run("verify", "--dir", dir.toString(), "--genome", StepOutputs.GENOME, "--epoch", "2",
                    "--upload", bad);
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains("pbtnas verify: --upload: "), r.err());
        }
    }
}
