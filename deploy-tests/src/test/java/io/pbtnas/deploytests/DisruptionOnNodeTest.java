package io.pbtnas.deploytests;

import io.pbtnas.testkit.PodRecorder;
import io.pbtnas.testkit.StatusRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.WithRealNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pod-runtime faults on the real node (DESIGN.md §5), with the operator the chart installed: an
 * eviction through the Eviction API is retried without using a retry, and an image the node cannot pull
 * is named in condition Stuck and a PodStuck event.
 */
@WithRealNode
class DisruptionOnNodeTest {

    /**
     * examples/cpu-smoke.yaml under another name, made smaller (strategy random: no parent pool needed);
     * maxRetries 0, so any counted failure is fatal.
     */
    static JsonNode search(String name, int population, int generations) {
        JsonNode manifest = Manifests.parse(ServerSideApply.read(RepoPaths.root().resolve(SearchOnNodeTest.SEARCH_FILE)))
                .get(0).deepCopy();
        ((ObjectNode) manifest.path("metadata")).put("name", name);
        ObjectNode spec = (ObjectNode) manifest.path("spec");
        spec.put("strategy", "random").put("population", population).put("generations", generations);
        spec.putObject("failurePolicy").put("maxRetries", 0);
        return manifest;
    }

    /** The API server's response to the apply: the search before the operator has seen it. */
    static GenericKubernetesResource applyFresh(KubernetesClient c, JsonNode manifest) throws InterruptedException {
        String name = manifest.path("metadata").path("name").asText();
        c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
        SearchOnNodeTest.waitFor(Duration.ofMinutes(2),
                () -> c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).get() == null,
                "the previous run's search to go");
        return (GenericKubernetesResource) ServerSideApply.apply(c, manifest);
    }

    @Test
    void anEvictedMemberPodIsRetriedWithoutUsingARetryAndTheSearchCompletes(RealNode node) throws Exception {
        E2eScenario.setUp(node);
        String name = "fmnist-evict";
        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE);
             PodRecorder pods = PodRecorder.ofSearch(c, E2eScenario.NAMESPACE, name)) {
            StatusRecorder.record(c, applyFresh(c, search(name, 2, 2)), "fresh");
            Pod victim = SearchOnNodeTest.waitForValue(Duration.ofMinutes(5), () -> c.pods()
                    .withLabel("pbtnas.io/search", name).withLabel("pbtnas.io/role", "member").list().getItems().stream()
                    .filter(p -> p.getStatus().getInitContainerStatuses() != null && p.getStatus().getInitContainerStatuses()
                            .stream().anyMatch(s -> "trainer".equals(s.getName()) && s.getState().getRunning() != null))
                    .findFirst().orElse(null), "a member pod whose trainer is running");
            StatusRecorder.fetch(c, E2eScenario.NAMESPACE, name, "training");
            String member = victim.getMetadata().getLabels().get("pbtnas.io/member");
            String generation = victim.getMetadata().getLabels().get("pbtnas.io/generation");
            assertTrue(c.pods().resource(victim).evict(), "the Eviction API refused " + victim.getMetadata().getName());

            int disruptionsSeen = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            JsonNode status;
            do {
                TimeUnit.MILLISECONDS.sleep(500);
                status = SearchOnNodeTest.status(c, name);
                disruptionsSeen = Math.max(disruptionsSeen,
                        status.path("members").path(Integer.parseInt(member)).path("disruptions").asInt(0));
            } while (!Set.of("Complete", "Failed").contains(status.path("phase").asText()) && System.nanoTime() < deadline);
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            StatusRecorder.fetch(c, E2eScenario.NAMESPACE, name, "complete");
            assertEquals(1, disruptionsSeen, "the status counted the eviction as a disruption: " + status.toPrettyString());
            for (JsonNode m : status.path("members")) {
                assertEquals(2, m.path("scores").size(), "every member has every score: " + status.toPrettyString());
                assertEquals(0, m.path("failedAt").size(), status.toPrettyString());
            }
            // The eviction was real: the API server marked the pod, the kubelet stopped it; the next attempt ran.
            Pod evicted = pods.all().stream().filter(p -> p.getMetadata().getUid().equals(victim.getMetadata().getUid()))
                    .findFirst().orElseThrow();
            assertTrue(evicted.getStatus().getConditions().stream().anyMatch(k -> "DisruptionTarget".equals(k.getType())
                    && "EvictionByEvictionAPI".equals(k.getReason())), evicted.getStatus().toString());
            String retry = victim.getMetadata().getName().replaceFirst("-a0$", "-a1");
            assertTrue(pods.withRole("member").stream().anyMatch(p -> p.getMetadata().getName().equals(retry)
                            && "Succeeded".equals(p.getStatus().getPhase())),
                    "member " + member + " generation " + generation + " never succeeded as " + retry + ": "
                            + pods.withRole("member").stream().map(p -> p.getMetadata().getName()).toList());
            List<Event> events = c.v1().events().list().getItems();
            assertTrue(events.stream().anyMatch(e -> "PodDisrupted".equals(e.getReason())
                    && e.getMessage().contains(victim.getMetadata().getName())), "no PodDisrupted event");
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
        }
    }

    @Test
    void aMemberPodWhoseImageCannotBePulledIsNamedInConditionStuckAndAPodStuckEvent(RealNode node) throws Exception {
        E2eScenario.setUp(node);
        String name = "fmnist-nopull";
        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE)) {
            JsonNode manifest = search(name, 1, 1);
            // The node has no registry: any image it does not hold fails to pull.
            ((ObjectNode) manifest.path("spec").path("trainer")).put("image", "pbtnas/not-on-this-node:0.0.1");
            applyFresh(c, manifest);
            JsonNode stuck = SearchOnNodeTest.waitForValue(Duration.ofMinutes(3), () -> {
                for (JsonNode k : SearchOnNodeTest.status(c, name).path("conditions")) {
                    if ("Stuck".equals(k.path("type").asText()) && "True".equals(k.path("status").asText())) {
                        return k;
                    }
                }
                return null;
            }, "condition Stuck");
            assertTrue(Set.of("ErrImagePull", "ImagePullBackOff").contains(stuck.path("reason").asText()),
                    stuck.toPrettyString());
            String message = stuck.path("message").asText();
            StatusRecorder.fetch(c, E2eScenario.NAMESPACE, name, "stuck-image-pull");
            assertTrue(message.startsWith("member 0 (pod " + name + "-m0-g0-a0): ")
                    && message.contains("container trainer") && message.contains("pbtnas/not-on-this-node"), message);
            SearchOnNodeTest.waitFor(Duration.ofMinutes(1), () -> c.v1().events().list().getItems().stream()
                    .anyMatch(e -> "PodStuck".equals(e.getReason()) && e.getMessage().contains(name + "-m0-g0-a0")),
                    "a PodStuck event naming the pod");
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(name).delete();
        }
    }
}
