package io.pbtnas.deploytests;

import io.pbtnas.testkit.PodRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.s3.S3Endpoint;
import io.pbtnas.testkit.s3.VersityGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.pbtnas.testkit.WithRealNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real search on the real node, as a user runs it (hack/e2e-scenario.sh: helm install, the operator
 * as a pod, a restricted namespace, the single-node RWX volume with the operator's per-search
 * directory, our images), then the same search again with a member pod and the operator pod deleted
 * while it runs, and once more on a bucket (examples/s3-search.yaml, versitygw on the node's IP): each
 * must end with the same final status.
 */
@WithRealNode
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchOnNodeTest {
    static final String SEARCH_FILE = "examples/cpu-smoke.yaml";
    static final String SEARCH = "fmnist-cpu-smoke";
    static final String API = "pbtnas.io/v1alpha1";
    /** The uninterrupted run's status, the reference of the fault test. */
    static JsonNode reference;

    @Test
    @Order(1)
    void aUserSearchCompletesIsExportedAndEvaluatesToItsReportedScore(RealNode node) {
        E2eScenario.Result run;
        List<Pod> pods;
        // Finished member pods are deleted once the status records them: look at them as they were.
        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE);
             PodRecorder recorder = PodRecorder.ofSearch(c, E2eScenario.NAMESPACE, SEARCH)) {
            run = E2eScenario.run(node, SEARCH_FILE, 20);
            pods = recorder.all();
        }
        assertTrue(run.succeeded(), run::describe);
        assertEquals(run.bestScore(), run.evalScore(), 0.0, "pbtnas eval of best/ must reproduce status.best.score");
        assertTrue(run.bestScore() > 0.3, "a trained Fashion-MNIST network beats chance (0.1) by far: " + run.bestScore());

        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE)) {
            // The operator ran as a pod of the chart's Deployment, as the chart's service account.
            List<Pod> operators = c.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE)
                    .withLabel("app.kubernetes.io/name", "pbtnas").list().getItems();
            assertFalse(operators.isEmpty(), "no operator pod in " + E2eScenario.OPERATOR_NAMESPACE);
            assertEquals("pbtnas", operators.get(0).getSpec().getServiceAccountName());
            assertEquals("Running", operators.get(0).getStatus().getPhase());

            JsonNode status = status(c, SEARCH);
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            assertEquals(4, status.path("members").size());
            reference = status;

            // Every pod the operator made ran our image as the chart's uid and succeeded, in a namespace
            // that enforces the restricted Pod Security Standard.
            List<Pod> left = c.pods().withLabel("pbtnas.io/search", SEARCH).withLabel("pbtnas.io/role", "member")
                    .list().getItems();
            assertTrue(left.size() <= 4, "at most one (failed) pod per member is kept: " + left.size());
            long members = pods.stream().filter(p -> "member".equals(p.getMetadata().getLabels().get("pbtnas.io/role"))).count();
            assertEquals(4 * 3, members, "one pod per member and generation");
            for (Pod p : pods) {
                assertEquals("Succeeded", p.getStatus().getPhase(), p.getMetadata().getName());
                assertEquals((long) E2eScenario.imageUid(), p.getSpec().getSecurityContext().getRunAsUser());
            }
            assertTrue(pods.stream().anyMatch(p -> p.getSpec().getInitContainers().stream()
                            .anyMatch(i -> "mix".equals(i.getName()))),
                    "a replaced member's pod runs the mix init container");
            assertEquals("restricted", c.namespaces().withName(E2eScenario.NAMESPACE).get().getMetadata().getLabels()
                    .get("pod-security.kubernetes.io/enforce"));
            KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                    () -> c.pods().resource(privilegedPod()).create(),
                    "the namespace must refuse a pod the restricted standard forbids, or the admission above proves nothing");
            assertTrue(refused.getMessage().contains("restricted"), refused.getMessage());
        }
    }

    @Test
    @Order(2)
    void deletingAMemberPodAndTheOperatorPodMidSearchChangesNothing(RealNode node) throws Exception {
        assertNotNull(reference, "the uninterrupted run (the test before this one) did not finish: no reference");
        String name = SEARCH + "-faults";
        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE)) {
            JsonNode manifest = Manifests.parse(ServerSideApply.read(RepoPaths.root().resolve(SEARCH_FILE))).get(0).deepCopy();
            ((ObjectNode) manifest.path("metadata")).put("name", name);
            c.genericKubernetesResources(API, "PbtNasSearch").withName(name).delete();
            waitFor(Duration.ofMinutes(1), () -> c.genericKubernetesResources(API, "PbtNasSearch").withName(name).get() == null,
                    "the previous run's search to go");
            ServerSideApply.apply(c, manifest);

            // A member pod deleted while its trainer runs (generation 0; the trainer is the pod's last init
            // container, `pbtnas verify` the main one).
            Pod victim = waitForValue(Duration.ofMinutes(5), () -> c.pods().withLabel("pbtnas.io/search", name)
                    .withLabel("pbtnas.io/role", "member").list().getItems().stream()
                    .filter(p -> p.getStatus().getInitContainerStatuses() != null && p.getStatus().getInitContainerStatuses()
                            .stream().anyMatch(s -> "trainer".equals(s.getName()) && s.getState().getRunning() != null))
                    .findFirst().orElse(null), "a member pod whose trainer is running");
            c.pods().resource(victim).delete();

            // The operator pod deleted once generation 1 has started: its Deployment makes a new one,
            // which takes the leader Lease over and goes on from the status.
            waitFor(Duration.ofMinutes(10), () -> status(c, name).path("generation").asInt() >= 1, "generation 1");
            Set<String> before = uids(c.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE)
                    .withLabel("app.kubernetes.io/name", "pbtnas").list().getItems());
            c.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE).withLabel("app.kubernetes.io/name", "pbtnas").delete();

            waitFor(Duration.ofMinutes(20), () -> Set.of("Complete", "Failed").contains(status(c, name).path("phase").asText()),
                    "the search to end");
            JsonNode status = status(c, name);
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            Set<String> after = uids(c.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE)
                    .withLabel("app.kubernetes.io/name", "pbtnas").list().getItems());
            assertTrue(after.stream().noneMatch(before::contains), "the operator pod was really replaced: " + before + " " + after);
            Pod now = c.pods().withName(victim.getMetadata().getName()).get();
            assertTrue(now == null || !now.getMetadata().getUid().equals(victim.getMetadata().getUid()),
                    "the deleted member pod " + victim.getMetadata().getName() + " is still there");

            assertEquals(comparable(reference), comparable(status),
                    "an interrupted run must end exactly as the uninterrupted one (same genomes, scores, lineage, best)");
        }
    }

    @Test
    @Order(3)
    void theSameSearchOnABucketNeedsNoVolumeAndEndsAsThePvcRun(RealNode node) throws Exception {
        assertNotNull(reference, "the PVC run (the first test) did not finish: no reference");
        String name = "fmnist-s3";
        String bucket = "team-bucket";
        try (VersityGateway gateway = VersityGateway.startNew(node.nodeIp());
             KubernetesClient c = node.newClient(E2eScenario.NAMESPACE);
             PodRecorder recorder = PodRecorder.ofSearch(c, E2eScenario.NAMESPACE, name)) {
            S3Endpoint s3 = gateway.endpoint();
            BucketPod.createBucket(s3, bucket);
            c.secrets().resource(new SecretBuilder().withNewMetadata().withName("bucket-keys").endMetadata()
                    .withStringData(Map.of("AWS_ACCESS_KEY_ID", s3.accessKeyId(),
                            "AWS_SECRET_ACCESS_KEY", s3.secretAccessKey())).build()).createOr(r -> r.update());
            // examples/s3-search.yaml as a user edits it: their bucket's endpoint and region.
            JsonNode manifest = Manifests.parse(ServerSideApply.read(RepoPaths.examples().resolve("s3-search.yaml"))).get(0)
                    .deepCopy();
            ObjectNode bucketSpec = (ObjectNode) manifest.path("spec").path("storage").path("s3");
            bucketSpec.put("bucket", bucket).put("endpoint", s3.url().toString()).put("region", s3.region());
            c.genericKubernetesResources(API, "PbtNasSearch").withName(name).delete();
            waitFor(Duration.ofMinutes(1), () -> c.genericKubernetesResources(API, "PbtNasSearch").withName(name).get() == null,
                    "an earlier run's search to go");
            ServerSideApply.apply(c, manifest);
            waitFor(Duration.ofMinutes(20), () -> Set.of("Complete", "Failed").contains(status(c, name).path("phase").asText())
                    && hasTrue(status(c, name), "Exported") || "Failed".equals(status(c, name).path("phase").asText()),
                    "the search on the bucket to end and be exported");
            JsonNode status = status(c, name);
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            assertEquals(comparable(reference), comparable(status),
                    "the bucket run must end as the PVC run of the same manifest and seed (genomes, scores, lineage, best)");

            // Nothing was written to any volume but the pods' emptyDirs (and the export's input ConfigMap).
            List<Pod> pods = recorder.all();
            assertFalse(pods.isEmpty());
            for (Pod p : pods) {
                p.getSpec().getVolumes().forEach(v -> assertTrue(v.getEmptyDir() != null || v.getConfigMap() != null,
                        p.getMetadata().getName() + " has volume " + v));
                assertEquals("Succeeded", p.getStatus().getPhase(), p.getMetadata().getName());
            }
            // Every member checkpoint that counted and every mixed input is in the bucket.
            String uid8 = c.genericKubernetesResources(API, "PbtNasSearch").withName(name).get().getMetadata().getUid()
                    .substring(0, 8);
            Path root = gateway.bucketDir(bucket).resolve("searches/" + E2eScenario.NAMESPACE + "/" + name + "-" + uid8);
            int mixed = 0;
            for (JsonNode m : status.path("members")) {
                for (int g = 0; g < 3; g++) {
                    Path attempt = root.resolve("members/" + m.path("id").asInt() + "/gen-" + g + "/attempt-"
                            + m.path("checkpointAttempts").path(g).asInt());
                    assertTrue(Files.size(attempt.resolve("model.safetensors")) > 0 && Files.isRegularFile(attempt.resolve("metrics.json")),
                            "no checkpoint in the bucket at " + root.relativize(attempt));
                }
                for (JsonNode e : m.path("lineage")) {
                    if ("mix".equals(e.path("kind").asText())) {
                        mixed++;
                        assertTrue(Files.isRegularFile(root.resolve("members/" + m.path("id").asInt() + "/gen-"
                                + e.path("generation").asInt() + "/input.safetensors")), "a mixed input is not in the bucket");
                    }
                }
            }
            assertTrue(mixed > 0, "no member was mixed: the streaming mix was not exercised");
            for (String f : List.of("best/model.safetensors", "history.json", "report.html")) {
                assertTrue(Files.isRegularFile(root.resolve(f)), "no " + f + " in the bucket");
            }
            // pbtnas eval of the exported best/, from the bucket, in the trainer image, reproduces the score.
            String best = "s3://" + bucket + "/searches/" + E2eScenario.NAMESPACE + "/" + name + "-" + uid8 + "/best";
            double eval = BucketPod.evalScore(c, manifest.path("spec").path("trainer").path("image").asText(), s3, best,
                    "bucket-keys");
            assertEquals(status.path("best").path("score").asDouble(), eval, 1e-9,
                    "pbtnas eval " + best + " must reproduce status.best.score");
        }
    }

    static boolean hasTrue(JsonNode status, String type) {
        for (JsonNode cnd : status.path("conditions")) {
            if (type.equals(cnd.path("type").asText()) && "True".equals(cnd.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /** What must not depend on interruptions: everything but checkpoint paths, which attempt counted, and bookkeeping. */
    static JsonNode comparable(JsonNode status) {
        ObjectNode out = Manifests.YAML.createObjectNode();
        out.put("phase", status.path("phase").asText());
        out.put("generation", status.path("generation").asInt());
        out.set("best", status.path("best").deepCopy());
        ArrayNode members = out.putArray("members");
        for (JsonNode m : status.path("members")) {
            ObjectNode copy = m.deepCopy();
            copy.remove(List.of("checkpoint", "checkpointAttempts", "attempts", "disruptions", "state", "message"));
            members.add(copy);
        }
        ((ObjectNode) out.path("best")).remove("checkpoint");
        return out;
    }

    static JsonNode status(KubernetesClient c, String name) {
        GenericKubernetesResource r = c.genericKubernetesResources(API, "PbtNasSearch").withName(name).get();
        if (r == null) {
            return Manifests.YAML.createObjectNode();
        }
        JsonNode all = Manifests.YAML.valueToTree(r.getAdditionalProperties());
        return all.path("status");
    }

    /** A pod that the restricted standard forbids (privileged, root). */
    static Pod privilegedPod() {
        return new PodBuilder().withNewMetadata().withName("privileged-probe").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("pbtnas/trainer:0.1.0")
                .withNewSecurityContext().withPrivileged(true).withRunAsUser(0L).endSecurityContext()
                .endContainer().endSpec().build();
    }

    private static Set<String> uids(List<Pod> pods) {
        return Set.copyOf(pods.stream().map(p -> p.getMetadata().getUid()).toList());
    }

    static void waitFor(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        waitForValue(timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, what);
    }

    static <T> T waitForValue(Duration timeout, Supplier<T> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }
}
