package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pbtnas.cli.storage.S3Clients;
import io.pbtnas.cli.storage.S3Location;
import io.pbtnas.cli.storage.S3Objects;
import io.pbtnas.cli.storage.S3Settings;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.observe.ContainerStatuses;
import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodLabels;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.VersityGateway;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Searches on spec.storage.s3 against a real S3 server (versitygw from test-env), with the test kubelet:
 * the whole data path (stage, streaming mix, verify's upload, export, cleanup) and its faults. Uses the
 * fast ContractTrainer; the pbtnas containers are the real cli.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class BucketSearchTest {
    static final String FAST = "pbtnas/contract-trainer:1";
    static final String BUCKET = "team-bucket";
    static VersityGateway gateway;
    static S3Objects s3;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = VersityGateway.startNew();
        S3Endpoint e = gateway.endpoint();
        s3 = S3Objects.of(S3Settings.of(e.url(), e.region(), e.accessKeyId(), e.secretAccessKey()));
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A Secret with the gateway's keys (or a wrong secret key), as a user creates it. */
    static void secret(Harness h, String name, boolean right) {
        S3Endpoint e = gateway.endpoint();
        h.client.secrets().inNamespace(h.namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .endMetadata().withStringData(Map.of("AWS_ACCESS_KEY_ID", e.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY", right ? e.secretAccessKey() : "not-the-key")).build()).create();
    }

    static String onBucket(String yaml, String bucket, String secret, String retention) {
        S3Endpoint e = gateway.endpoint();
        return yaml.replace("storage: {persistentVolumeClaim: {claimName: " + Harness.CLAIM + "}}",
                "storage: {s3: {bucket: " + bucket + ", prefix: searches, endpoint: \"" + e.url() + "\", region: "
                        + e.region() + ", credentialsSecret: {name: " + secret + "}}"
                        + (retention == null ? "" : ", retention: " + retention) + "}");
    }

    static S3Location root(Harness h, PbtNasSearch s) {
        return S3Location.parse("s3://" + BUCKET + "/searches/" + h.namespace + "/" + s.getMetadata().getName() + "-"
                + s.getMetadata().getUid().substring(0, 8) + "/");
    }

    static Optional<Condition> storage(PbtNasSearch s) {
        return s.getStatus() == null ? Optional.empty() : s.getStatus().condition(ConditionType.STORAGE_UNAVAILABLE.code());
    }

    /** Whether the pod's trainer container ever started (it is the last init container). */
    static boolean trainerStarted(Pod p) {
        return ContainerStatuses.inOrder(p.getStatus()).anyMatch(cs -> ContainerNames.TRAINER.equals(cs.getName())
                        && cs.getState() != null && (cs.getState().getRunning() != null || cs.getState().getTerminated() != null));
    }

    @Test
    void aSearchOnABucketCompletesWithEveryCheckpointAndMixedInputInTheBucket() throws Exception {
        try (Harness h = new Harness("s3")) {
            secret(h, "team-s3", true);
            PbtNasSearch created = h.create(onBucket(Harness.searchYaml("fm", FAST, 4, 3, "{}", "  parallelism: 2\n"),
                    BUCKET, "team-s3", "delete"));
            PbtNasSearch done = h.await("fm", s -> s.getStatus() != null && s.getStatus().phase() == Phase.COMPLETE
                    && s.getStatus().condition(ConditionType.EXPORTED.code()).map(Condition::isTrue).orElse(false),
                    Duration.ofMinutes(4));
            SearchStatus status = done.getStatus();
            Map<String, Long> keys = s3.list(root(h, created));
            // Every step that counted is in the bucket, whole, with its metrics.
            for (MemberStatus m : status.members()) {
                for (int g = 0; g < 3; g++) {
                    String attempt = "members/" + m.id() + "/gen-" + g + "/attempt-" + m.checkpointAttempts().get(g) + "/";
                    assertTrue(keys.containsKey(attempt + "model.safetensors") && keys.containsKey(attempt + "metrics.json"),
                            "no " + attempt + " in " + keys.keySet());
                }
                m.lineage().stream().filter(e -> e.kind() == io.pbtnas.core.model.LineageEntry.Kind.MIX).forEach(e ->
                        assertTrue(keys.containsKey("members/" + m.id() + "/gen-" + e.generation() + "/input.safetensors"),
                                "the mixed input of member " + m.id() + " generation " + e.generation() + " is not kept"));
            }
            assertTrue(status.members().stream().anyMatch(m -> m.lineage().stream()
                    .anyMatch(e -> e.kind() == io.pbtnas.core.model.LineageEntry.Kind.MIX)), "no member was mixed");
            assertTrue(keys.containsKey("best/model.safetensors") && keys.containsKey("history.json")
                    && keys.containsKey("report.html"), "no export in " + keys.keySet());
            assertFalse(storage(done).isPresent(), "StorageUnavailable on a reachable bucket: " + storage(done));
            // No claim was ever mounted: the test kubelet made no volume directory for one.
            assertFalse(Files.exists(h.kubelet.claimDir(h.namespace, Harness.CLAIM)), "a claim was used");

            // retention: delete empties the search's prefix once the search is deleted, and only it.
            s3.putNew(Files.writeString(Files.createTempFile("other", ".json"), "{}"),
                    S3Location.parse("s3://" + BUCKET + "/searches/" + h.namespace + "/fm-other/keep.json"));
            h.client.resource(done).delete();
            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("fm")
                    .waitUntilCondition(java.util.Objects::isNull, 2, java.util.concurrent.TimeUnit.MINUTES);
            assertEquals(Map.of(), s3.list(root(h, created)), "the search's objects are left");
            assertEquals(1, s3.list(S3Location.parse("s3://" + BUCKET + "/searches/" + h.namespace + "/fm-other/")).size(),
                    "another prefix was touched");
        }
    }

    @Test
    void wrongCredentialsAreStorageUnavailableNamingTheSecretWithBoundedAttemptsAndNoTraining() throws Exception {
        try (Harness h = new Harness("s3creds")) {
            secret(h, "bad-s3", false);
            h.create(onBucket(Harness.searchYaml("cr", FAST, 3, 2, "{}", "  failurePolicy: {maxRetries: 1}\n"),
                    BUCKET, "bad-s3", null));
            PbtNasSearch failed = h.awaitPhase("cr", Phase.FAILED, Duration.ofMinutes(3));
            Condition c = storage(failed).orElseThrow(() -> new AssertionError("no StorageUnavailable: "
                    + failed.getStatus().conditions()));
            assertTrue(c.isTrue(), c.toString());
            assertEquals(Reason.BUCKET_UNREACHABLE.code(), c.reason());
            assertTrue(c.message().contains("Secret bad-s3") && c.message().contains("SignatureDoesNotMatch")
                    && c.message().contains(BUCKET), c.message());
            assertFalse(c.message().contains("not-the-key"), "the key itself is in the status");
            List<Pod> pods = h.seenMemberPods("cr");
            // Each member: its first attempt and one retry (failurePolicy.maxRetries 1), no more.
            assertEquals(6, pods.size(), h.podSummary("cr"));
            assertTrue(pods.stream().noneMatch(BucketSearchTest::trainerStarted), "a trainer ran on an unreachable bucket");
            assertTrue(h.eventReasons().contains("StorageUnavailable"), h.eventReasons().toString());
        }
    }

    @Test
    void aMissingBucketIsReportedByTheFirstPodsBeforeAnyTraining() throws Exception {
        try (Harness h = new Harness("s3nobucket")) {
            secret(h, "team-s3", true);
            h.create(onBucket(Harness.searchYaml("nb", FAST, 3, 2, "{}", "  failurePolicy: {maxRetries: 0}\n"),
                    "no-such-bucket", "team-s3", null));
            PbtNasSearch s = h.await("nb", x -> storage(x).map(Condition::isTrue).orElse(false), Duration.ofMinutes(2));
            assertTrue(storage(s).orElseThrow().message().contains("NoSuchBucket"), storage(s).toString());
            assertTrue(storage(s).orElseThrow().message().contains("no-such-bucket"), storage(s).toString());
            assertTrue(h.seenMemberPods("nb").stream().noneMatch(BucketSearchTest::trainerStarted), "a trainer ran");
        }
    }

    @Test
    void anObjectDeletedBehindTheSearchsBackFailsTheStepNamingTheKeyAndNeverTrainsFromScratch() throws Exception {
        try (Harness h = new Harness("s3gone")) {
            secret(h, "team-s3", true);
            // The first generation-1 step that stages its own checkpoint waits in stage until the test lets go.
            h.kubelet.hangNext("^gone-m\\d+-g1-a0$", ContainerNames.STAGE);
            PbtNasSearch created = h.create(onBucket(Harness.searchYaml("gone", FAST, 4, 2, "{}",
                    "  parallelism: 4\n  failurePolicy: {maxRetries: 1}\n"), BUCKET, "team-s3", null));
            Pod hung = awaitPod(h, "gone", p -> p.getMetadata().getName().endsWith("-g1-a0") && running(p, ContainerNames.STAGE));
            List<String> args = hung.getSpec().getInitContainers().get(0).getArgs();
            String input = args.get(args.indexOf("--checkpoint") + 1);
            S3Location object = root(h, created).resolve(input);
            s3.client().deleteObject(b -> b.bucket(object.bucket()).key(object.key()));
            assertTrue(h.kubelet.kill(h.namespace, hung.getMetadata().getName()));
            int member = Integer.parseInt(hung.getMetadata().getLabels().get(PodLabels.MEMBER));

            // The retry (failurePolicy.maxRetries 1: the last attempt) fails too, and the failure is recorded.
            String retryName = "gone-m" + member + "-g1-a1";
            PbtNasSearch end = h.await("gone", x -> h.lastSeen(retryName) != null
                    && "Failed".equals(h.lastSeen(retryName).getStatus().getPhase())
                    && x.getStatus().member(member).failedAt() != null
                    && x.getStatus().member(member).failedAt().contains(1), Duration.ofMinutes(3));
            Pod retry = h.lastSeen(retryName);
            String message = retry.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getMessage();
            assertTrue(message.contains(object.toString()), "the failure does not name " + object + ": " + message);
            assertFalse(trainerStarted(retry), "the step trained without its checkpoint");
            assertEquals(1, end.getStatus().member(member).scores().size(), "member " + member + " scored generation 1");
            assertTrue(h.eventReasons().stream().noneMatch("StorageUnavailable"::equals), h.eventReasons().toString());
            assertFalse(storage(end).map(Condition::isTrue).orElse(false), "a missing object is not an unreachable bucket");
        }
    }

    @Test
    void theGatewayStoppedAtTheUploadFailsTheAttemptNamingTheBucketAndTheRetryCompletes() throws Exception {
        // Not below /tmp (where a checkout may be, too): the test kubelet rewrites every path under a pod's
        // /tmp mount to that pod's own emptyDir, so the trainer would wait for a file that never appears.
        Path release = Files.createTempDirectory(Path.of("/var/tmp"), "pbtnas-hold-").resolve("release");
        try (Harness h = new Harness("s3down")) {
            secret(h, "team-s3", true);
            String args = "{holdInGeneration: 1, holdUntilFile: \"" + release + "\"}";
            PbtNasSearch created = h.create(onBucket(Harness.searchYaml("down", FAST, 3, 2, args,
                    "  parallelism: 1\n  failurePolicy: {maxRetries: 4}\n"), BUCKET, "team-s3", null));
            // One generation-1 trainer holds before writing: its input is staged, nothing is written yet.
            Pod holding = awaitPod(h, "down", p -> p.getMetadata().getLabels().get(PodLabels.GENERATION).equals("1")
                    && running(p, ContainerNames.TRAINER));
            gateway.stop();
            Files.writeString(release, "go");
            String holdingName = holding.getMetadata().getName();
            h.await("down", x -> h.lastSeen(holdingName).getStatus() != null
                    && "Failed".equals(h.lastSeen(holdingName).getStatus().getPhase()), Duration.ofMinutes(3));
            Pod failed = h.lastSeen(holdingName);
            gateway.start();
            String message = failed.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage();
            assertTrue(message.contains(BUCKET), "the failed upload does not name the bucket: " + message);

            PbtNasSearch done = h.awaitPhase("down", Phase.COMPLETE, Duration.ofMinutes(3));
            int member = Integer.parseInt(failed.getMetadata().getLabels().get(PodLabels.MEMBER));
            int counted = done.getStatus().member(member).checkpointAttempts().get(1);
            assertTrue(counted > 0, "the failed attempt counted");
            Map<String, Long> keys = s3.list(root(h, created));
            assertFalse(keys.containsKey("members/" + member + "/gen-1/attempt-0/metrics.json"),
                    "the failed attempt's result is in the bucket");
            assertTrue(keys.containsKey("members/" + member + "/gen-1/attempt-" + counted + "/metrics.json"));
            assertEquals(io.pbtnas.core.model.ConditionStatus.FALSE, storage(done).map(Condition::status).orElse(null),
                    "StorageUnavailable after the retry: " + storage(done));
        } finally {
            gateway.start(); // a no-op when it runs
        }
    }

    static boolean running(Pod p, String container) {
        return p.getStatus() != null && ContainerStatuses.inOrder(p.getStatus())
                .anyMatch(cs -> container.equals(cs.getName()) && cs.getState() != null && cs.getState().getRunning() != null);
    }

    /** The first member pod of the search matching {@code test}, as the API server has it. */
    static Pod awaitPod(Harness h, String search, java.util.function.Predicate<Pod> test) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (Pod p : h.memberPods(search)) {
                if (test.test(p)) {
                    return p;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such pod; pods: " + h.podSummary(search));
    }
}
