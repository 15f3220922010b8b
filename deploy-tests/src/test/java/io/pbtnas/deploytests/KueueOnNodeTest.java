package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pbtnas.testkit.PodRecorder;
import io.pbtnas.testkit.kueue.AdmittedTrace;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.WithRealNode;
import io.pbtnas.testkit.kueue.TestKueue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator the chart installed, under a real Kueue (built from source, running on this machine
 * against the node's API server) on the real node, which advertises {@code nvidia.com/gpu: 4}: a
 * ClusterQueue of 2 GPUs holds a 4-member search to 2 admitted pods, a member Kueue preempts for a
 * higher-priority pod is a disruption that leaves the result as an unpreempted run's, a search without
 * the queue label is left alone, and one deleted while its pods are gated goes.
 */
@WithRealNode
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KueueOnNodeTest {
    static final String NS = E2eScenario.NAMESPACE;
    static final String QUEUE = "pbtnas-gpus";
    static final String NO_GPUS = "pbtnas-no-gpus";
    static final String FINALIZER = "kueue.x-k8s.io/managed";
    static final String GATE = "kueue.x-k8s.io/admission";
    private static TestKueue kueue;
    private static KubernetesClient admin;
    /** The quota test's final status: what the preempted run must equal. */
    private static JsonNode unpreempted;

    static synchronized void setUp(RealNode node) throws Exception {
        if (kueue != null) {
            return;
        }
        E2eScenario.setUp(node);
        admin = node.newClient(NS);
        // an extended resource, advertised as a device plugin would (no device plugin: nothing uses a GPU)
        Node patch = new Node();
        patch.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .addToCapacity("nvidia.com/gpu", new Quantity("4")).addToAllocatable("nvidia.com/gpu", new Quantity("4"))
                .build());
        admin.nodes().withName(node.nodeName()).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        SearchOnNodeTest.waitFor(Duration.ofSeconds(30), () -> new Quantity("4").equals(admin.nodes()
                .withName(node.nodeName()).get().getStatus().getAllocatable().get("nvidia.com/gpu")), "4 GPUs allocatable");
        kueue = TestKueue.start(admin, node.kubeConfigYaml());
        System.out.println("[kueue-on-node] Kueue " + kueue.version() + " started in " + kueue.startupTime().toMillis()
                + " ms; log " + kueue.log());
        kueue.manageNamespace(NS);
        admin.resource(TestKueue.kueue("ResourceFlavor", QUEUE, Map.of())).serverSideApply();
        admin.resource(TestKueue.kueue("ClusterQueue", QUEUE, Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", NS)),
                "preemption", Map.of("withinClusterQueue", "LowerPriority"),
                "resourceGroups", List.of(Map.of(
                        "coveredResources", List.of("cpu", "memory", "nvidia.com/gpu"),
                        "flavors", List.of(Map.of("name", QUEUE, "resources", List.of(
                                Map.of("name", "cpu", "nominalQuota", "16"),
                                Map.of("name", "memory", "nominalQuota", "64Gi"),
                                Map.of("name", "nvidia.com/gpu", "nominalQuota", "2"))))))))).serverSideApply();
        GenericKubernetesResource lq = TestKueue.kueue("LocalQueue", QUEUE, Map.of("clusterQueue", QUEUE));
        lq.getMetadata().setNamespace(NS);
        admin.resource(lq).serverSideApply();
        // a queue that never has a GPU: its pods stay gated
        admin.resource(TestKueue.kueue("ClusterQueue", NO_GPUS, Map.of(
                "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", NS)),
                "resourceGroups", List.of(Map.of(
                        "coveredResources", List.of("cpu", "memory", "nvidia.com/gpu"),
                        "flavors", List.of(Map.of("name", QUEUE, "resources", List.of(
                                Map.of("name", "cpu", "nominalQuota", "16"),
                                Map.of("name", "memory", "nominalQuota", "64Gi"),
                                Map.of("name", "nvidia.com/gpu", "nominalQuota", "0"))))))))).serverSideApply();
        GenericKubernetesResource none = TestKueue.kueue("LocalQueue", NO_GPUS, Map.of("clusterQueue", NO_GPUS));
        none.getMetadata().setNamespace(NS);
        admin.resource(none).serverSideApply();
        admin.resource(new GenericKubernetesResourceBuilder().withApiVersion(TestKueue.API_VERSION)
                .withKind("WorkloadPriorityClass").withNewMetadata().withName("pbtnas-test-high").endMetadata()
                .addToAdditionalProperties("value", 1000).build()).serverSideApply();
    }

    /** Deletes what the tests left, waits until Kueue released every pod it holds a finalizer on, then stops it. */
    @AfterAll
    static void tearDown() throws Exception {
        if (kueue == null) {
            return;
        }
        try {
            for (String s : List.of("kueue-quota", "kueue-preempt", "kueue-plain", "kueue-held")) {
                admin.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(s).delete();
            }
            admin.pods().withName("kueue-preemptor").delete();
            SearchOnNodeTest.waitFor(Duration.ofMinutes(3), () -> admin.pods().list().getItems().stream()
                    .noneMatch(p -> p.getMetadata().getFinalizers().contains(FINALIZER)), "pods with Kueue's finalizer gone");
            kueue.unmanageNamespace(NS);
        } finally {
            kueue.close();
            admin.close();
        }
    }

    /** examples/cpu-smoke.yaml, 4 members, 2 generations, one GPU each, parallelism 4, in the LocalQueue. */
    static JsonNode search(String name) {
        JsonNode manifest = DisruptionOnNodeTest.search(name, 4, 2);
        ((ObjectNode) manifest.path("metadata")).putObject("labels").put(TestKueue.QUEUE_LABEL, QUEUE);
        ObjectNode spec = (ObjectNode) manifest.path("spec");
        // pbt-nas, as examples/cpu-smoke.yaml: the worst member is replaced by a mix, so lineage is compared too
        spec.put("strategy", "pbt-nas");
        spec.put("parallelism", 4);
        ((ObjectNode) spec.path("trainer").path("resources")).withObject("/limits").put("nvidia.com/gpu", "1");
        return manifest;
    }

    /** The member pods' admitted count after each recorded change. */
    static AdmittedTrace admittedTrace(List<PodRecorder.Seen> versions) {
        return AdmittedTrace.of(versions, p -> "member".equals(p.getMetadata().getLabels().get("pbtnas.io/role")));
    }

    static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    /** Runs until Complete or Failed, polling; returns {final status, whether Queued was seen True, max disruptions}. */
    static Object[] runToEnd(KubernetesClient c, String name, Runnable eachPoll) throws InterruptedException {
        boolean queuedSeen = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        JsonNode status;
        do {
            TimeUnit.MILLISECONDS.sleep(500);
            eachPoll.run();
            status = SearchOnNodeTest.status(c, name);
            JsonNode q = condition(status, "Queued");
            queuedSeen |= q != null && "True".equals(q.path("status").asText());
            JsonNode stuck = condition(status, "Stuck");
            assertTrue(stuck == null || !"True".equals(stuck.path("status").asText()), "a queued pod read as stuck: " + stuck);
        } while (!Set.of("Complete", "Failed").contains(status.path("phase").asText()) && System.nanoTime() < deadline);
        return new Object[] {status, queuedSeen};
    }

    /** What must not depend on preemption: each member's genome, scores and lineage, and the best's member, score, genome. */
    static JsonNode outcome(JsonNode status) {
        ObjectNode out = Manifests.YAML.createObjectNode();
        ArrayNode members = out.putArray("members");
        for (JsonNode m : status.path("members")) {
            ObjectNode o = members.addObject();
            o.set("genome", m.path("genome"));
            o.set("scores", m.path("scores"));
            o.set("lineage", m.path("lineage"));
        }
        JsonNode best = status.path("best");
        out.set("best", Manifests.YAML.createObjectNode().put("member", best.path("member").asInt())
                .put("score", best.path("score").asDouble()).set("genome", best.path("genome")));
        return out;
    }

    @Test
    @Order(1)
    void aClusterQueueOfTwoGpusHoldsAFourMemberSearchToTwoAdmittedPodsAndItCompletes(RealNode node) throws Exception {
        setUp(node);
        String name = "kueue-quota";
        try (KubernetesClient c = node.newClient(NS); PodRecorder pods = PodRecorder.ofSearch(c, NS, name)) {
            DisruptionOnNodeTest.applyFresh(c, search(name));
            Object[] end = runToEnd(c, name, () -> { });
            JsonNode status = (JsonNode) end[0];
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            assertTrue((Boolean) end[1], "condition Queued was never True");
            JsonNode queued = condition(status, "Queued");
            assertNotNull(queued, status.toPrettyString());
            assertEquals("False", queued.path("status").asText(), queued.toPrettyString());
            AdmittedTrace trace = admittedTrace(pods.versions());
            System.out.println("[kueue-on-node] admitted member pods (ClusterQueue 2 GPUs, node 4 GPUs, population 4,"
                    + " parallelism 4):\n  " + trace);
            assertEquals(2, trace.max(), "more than the quota, or the quota unused: " + trace);
            assertTrue(pods.withRole("member").stream().allMatch(p -> QUEUE.equals(
                    p.getMetadata().getLabels().get(TestKueue.QUEUE_LABEL))));
            unpreempted = status;
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
        }
    }

    @Test
    @Order(2)
    void aMemberKueuePreemptsForAHigherPriorityPodIsADisruptionAndTheResultIsUnchanged(RealNode node) throws Exception {
        setUp(node);
        assertNotNull(unpreempted, "the quota test gives the unpreempted run to compare with; run the class whole");
        String name = "kueue-preempt";
        try (KubernetesClient c = node.newClient(NS); PodRecorder pods = PodRecorder.ofSearch(c, NS, name)) {
            DisruptionOnNodeTest.applyFresh(c, search(name));
            // both GPUs of the quota taken by members whose trainers run
            SearchOnNodeTest.waitFor(Duration.ofMinutes(5), () -> c.pods().withLabel("pbtnas.io/search", name).list()
                    .getItems().stream().filter(p -> p.getStatus().getInitContainerStatuses() != null && p.getStatus()
                            .getInitContainerStatuses().stream().anyMatch(s -> "trainer".equals(s.getName())
                                    && s.getState().getRunning() != null)).count() == 2, "two member trainers running");
            c.pods().resource(preemptor()).create();
            int[] disruptions = new int[1];
            Object[] end = runToEnd(c, name, () -> {
                for (JsonNode m : SearchOnNodeTest.status(c, name).path("members")) {
                    disruptions[0] = Math.max(disruptions[0], m.path("disruptions").asInt(0));
                }
            });
            JsonNode status = (JsonNode) end[0];
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            assertEquals(1, disruptions[0], "one member preempted, counted as a disruption: " + status.toPrettyString());
            for (JsonNode m : status.path("members")) {
                assertEquals(0, m.path("failedAt").size(), "no retry used: " + status.toPrettyString());
            }
            Pod victim = pods.withRole("member").stream().filter(p -> p.getStatus() != null
                    && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                    .anyMatch(k -> "TerminationTarget".equals(k.getType()))).findFirst().orElse(null);
            assertNotNull(victim, "no member pod marked by Kueue: " + admittedTrace(pods.versions()));
            assertTrue(c.v1().events().list().getItems().stream().anyMatch(e -> "PodDisrupted".equals(e.getReason())
                    && e.getMessage().contains(victim.getMetadata().getName()) && e.getMessage().contains("Kueue")),
                    "no PodDisrupted event naming Kueue");
            Pod hog = c.pods().withName("kueue-preemptor").get();
            assertTrue(hog == null || "Succeeded".equals(hog.getStatus().getPhase()), String.valueOf(hog));
            System.out.println("[kueue-on-node] preempted " + victim.getMetadata().getName() + "; outcome "
                    + outcome(status) + "\n  unpreempted " + outcome(unpreempted));
            assertEquals(outcome(unpreempted), outcome(status), "preemption changed the search's result");
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
        }
    }

    @Test
    @Order(3)
    void aSearchWithoutTheQueueLabelInTheManagedNamespaceIsNeverGated(RealNode node) throws Exception {
        setUp(node);
        String name = "kueue-plain";
        try (KubernetesClient c = node.newClient(NS); PodRecorder pods = PodRecorder.ofSearch(c, NS, name)) {
            JsonNode manifest = search(name);
            ((ObjectNode) manifest.path("metadata")).remove("labels");
            ((ObjectNode) manifest.path("spec")).put("strategy", "random").put("population", 2).put("generations", 1);
            DisruptionOnNodeTest.applyFresh(c, manifest);
            JsonNode status = (JsonNode) runToEnd(c, name, () -> { })[0];
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            assertEquals(null, condition(status, "Queued"), status.toPrettyString());
            assertTrue(pods.versions().stream().noneMatch(v -> AdmittedTrace.gated(v.pod())), "Kueue gated a pod of an unlabelled search");
            assertTrue(pods.versions().stream().noneMatch(v -> v.pod().getMetadata().getFinalizers().contains(FINALIZER)),
                    "Kueue took a pod of an unlabelled search");
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
        }
    }

    @Test
    @Order(4)
    void aSearchDeletedWhileItsPodsAreGatedIsGoneWithoutItsCleanupGivingUp(RealNode node) throws Exception {
        setUp(node);
        String name = "kueue-held";
        try (KubernetesClient c = node.newClient(NS)) {
            JsonNode manifest = search(name);
            ((ObjectNode) manifest.path("metadata").path("labels")).put(TestKueue.QUEUE_LABEL, NO_GPUS);
            DisruptionOnNodeTest.applyFresh(c, manifest);
            JsonNode[] last = new JsonNode[1];
            try {
                // within a minute: well before the operator's periodic reconcile (2 min) would notice them
                SearchOnNodeTest.waitFor(Duration.ofMinutes(1), () -> {
                    last[0] = SearchOnNodeTest.status(c, name);
                    JsonNode q = condition(last[0], "Queued");
                    return q != null && q.path("message").asText().startsWith("4 member pods wait");
                }, "4 member pods queued");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; status " + last[0] + "; pods " + c.pods()
                        .withLabel("pbtnas.io/search", name).list().getItems().stream().map(p -> p.getMetadata().getName()
                                + " gates=" + p.getSpec().getSchedulingGates() + " phase=" + p.getStatus().getPhase()).toList()
                        + "; events " + c.v1().events().list().getItems().stream().filter(ev -> ev.getInvolvedObject() != null
                                && ev.getInvolvedObject().getName().startsWith(name))
                                .map(ev -> ev.getReason() + ": " + ev.getMessage()).toList()
                        + "; operator log " + operatorLogTail(), e);
            }
            long t0 = System.nanoTime();
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
            SearchOnNodeTest.waitFor(Duration.ofMinutes(5), () -> c.genericKubernetesResources(SearchOnNodeTest.API,
                    "PbtNasSearch").withName(name).get() == null, "the deleted search to go");
            System.out.println("[kueue-on-node] a search with 4 gated pods deleted in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
            assertTrue(c.pods().withLabel("pbtnas.io/search", name).list().getItems().isEmpty());
            // gone because its cleanup finished, not because the operator's cleanup-timeout let it go
            assertTrue(c.v1().events().list().getItems().stream().noneMatch(e -> "CleanupIncomplete".equals(e.getReason())
                    && e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName())), "cleanup gave up");
        }
    }

    static String operatorLogTail() {
        try {
            Pod op = admin.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE).list().getItems().get(0);
            String log = admin.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE).withName(op.getMetadata().getName())
                    .tailingLines(40).getLog();
            return log;
        } catch (RuntimeException e) {
            return "(no operator log: " + e + ")";
        }
    }

    /** One GPU for 20 s at a higher WorkloadPriorityClass, in the same LocalQueue (restricted Pod Security). */
    static Pod preemptor() {
        return new PodBuilder().withNewMetadata().withName("kueue-preemptor")
                .addToLabels(TestKueue.QUEUE_LABEL, QUEUE).addToLabels(TestKueue.PRIORITY_LABEL, "pbtnas-test-high")
                .endMetadata()
                .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65534L).withNewSeccompProfile()
                .withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer().withName("hog").withImage("pbtnas-test/busybox:1").withImagePullPolicy("Never")
                .withCommand("/bin/busybox", "sleep", "20")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL")
                .endCapabilities().endSecurityContext()
                .withNewResources().addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).addToLimits("memory", new Quantity("32Mi")).endResources()
                .endContainer().endSpec().build();
    }
}
