package io.pbtnas.deploytests;

import io.pbtnas.testkit.PodRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.WithRealNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bring-your-own trainer example (examples/byo-trainer: PyTorch, its own image) runs a search
 * through the trainer contract alone on the real node, with the operator the chart installed.
 */
@WithRealNode
class ByoTrainerOnNodeTest {
    static final String NAME = "fmnist-byo-trainer";

    @Test
    void theExampleImageRunsASearchThroughTheContract(RealNode node) throws Exception {
        E2eScenario.setUp(node);
        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE);
             PodRecorder recorder = PodRecorder.ofSearch(c, E2eScenario.NAMESPACE, NAME)) {
            // The example as a user has it, made small enough for 2 cores (its header says what it costs).
            JsonNode manifest = Manifests.parse(ServerSideApply.read(RepoPaths.examples().resolve("byo-trainer/search.yaml")))
                    .get(0).deepCopy();
            ObjectNode spec = (ObjectNode) manifest.path("spec");
            spec.put("population", 4).put("generations", 2).put("parallelism", 2);
            ObjectNode args = (ObjectNode) spec.path("trainer").path("args");
            args.put("width", 8).put("trainSubset", 512).put("validationSubset", 256);
            ObjectNode requests = (ObjectNode) spec.path("trainer").path("resources").path("requests");
            requests.put("cpu", "500m").put("memory", "1Gi");
            ((ObjectNode) spec.path("trainer").path("resources").path("limits")).put("memory", "1Gi");
            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(NAME).delete();
            SearchOnNodeTest.waitFor(Duration.ofMinutes(1),
                    () -> c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(NAME).get() == null,
                    "the previous run's search to go");
            ServerSideApply.apply(c, manifest);

            SearchOnNodeTest.waitFor(Duration.ofMinutes(15),
                    () -> Set.of("Complete", "Failed").contains(SearchOnNodeTest.status(c, NAME).path("phase").asText()),
                    "the BYO search to end");
            JsonNode status = SearchOnNodeTest.status(c, NAME);
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);
            double best = status.path("best").path("score").asDouble();
            assertTrue(best > 0.3 && best <= 1.0, "the PyTorch trainer's best validation accuracy: " + best);

            // Finished member pods are deleted once recorded: every one as it was last seen.
            List<Pod> members = recorder.withRole("member");
            assertEquals(4 * 2, members.size());
            assertFalse(members.stream().anyMatch(p -> !"Succeeded".equals(p.getStatus().getPhase())));
            // The trainer is the last init container; `pbtnas verify` (operator image) checks its output after it.
            List<String> trainerImages = members.stream().map(p -> p.getSpec().getInitContainers().stream()
                    .filter(i -> "trainer".equals(i.getName())).findFirst().orElseThrow().getImage()).distinct().toList();
            assertEquals(List.of("pbtnas/byo-trainer:0.1.0"), trainerImages);
        }
    }
}
