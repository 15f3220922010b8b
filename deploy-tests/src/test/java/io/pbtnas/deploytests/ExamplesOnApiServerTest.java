package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.testkit.TestNamespace;
import io.pbtnas.testkit.WithKubeApiServer;
import io.pbtnas.testkit.kueue.KueueBinaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under examples/ is accepted by a real API server with the committed CRD installed
 * (server-side apply, dryRun=All: validated, never stored), and broken copies are refused.
 */
@WithKubeApiServer
class ExamplesOnApiServerTest {

    @BeforeEach
    void installCrd(KubernetesClient client) throws Exception {
        ServerSideApply.installCommittedCrds(client);
        // examples/kueue/ holds Kueue's objects: checked against the CRDs of the Kueue test-env/build-kueue.sh built
        // (only those of the kinds examples/ uses: Kueue's Workload CRD alone is 1.4 MB)
        java.util.Set<String> kinds = new java.util.HashSet<>();
        for (Path file : ExampleFiles.manifests()) {
            Manifests.parse(ServerSideApply.read(file)).forEach(d -> kinds.add(d.path("kind").asText()));
        }
        for (Path crd : KueueBinaries.resolve().requireBuilt().crds()) {
            for (JsonNode doc : Manifests.parse(ServerSideApply.read(crd))) {
                if (kinds.contains(doc.path("spec").path("names").path("kind").asText())) {
                    ServerSideApply.installCrd(client, doc);
                }
            }
        }
    }

    @Test
    void everyExampleIsAccepted(TestNamespace ns) {
        List<Path> files = ExampleFiles.manifests();
        assertFalse(files.isEmpty(), "no manifests under examples/");
        int searches = 0;
        List<String> rejected = new ArrayList<>();
        for (Path file : files) {
            for (JsonNode doc : Manifests.parse(ServerSideApply.read(file))) {
                searches += "PbtNasSearch".equals(doc.path("kind").asText()) ? 1 : 0;
                try {
                    ServerSideApply.dryRunApply(ns.client(), inNamespace(doc, ns.name()));
                } catch (KubernetesClientException e) {
                    rejected.add(ExampleFiles.relative(file) + " " + Manifests.describe(doc) + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), rejected);
        assertTrue(searches >= 5, "expected the GPU, CPU, two baseline and BYO searches; found " + searches);
        // dryRun=All stored nothing.
        assertEquals(0, ns.client().genericKubernetesResources("pbtnas.io/v1alpha1", "PbtNasSearch")
                .inNamespace(ns.name()).list().getItems().size());
    }

    @Test
    void brokenCopiesOfAnExampleAreRejectedNamingTheField(TestNamespace ns) {
        JsonNode search = Manifests.parse(ServerSideApply.read(RepoPaths.examples().resolve("cpu-small.yaml"))).get(0);
        assertRejected(ns, search, s -> spec(s).put("population", "eight"), "population");
        assertRejected(ns, search, s -> spec(s).put("populaton", 8), "populaton");
        assertRejected(ns, search, s -> spec(s).remove("searchSpace"), "searchSpace");
        assertRejected(ns, search, s -> ((ObjectNode) spec(s).path("mixing")).put("shrink", -1), "shrink");
        assertRejected(ns, search, s -> spec(s).put("strategy", "evolution"), "strategy");
    }

    private static void assertRejected(TestNamespace ns, JsonNode original, Consumer<ObjectNode> breakIt, String field) {
        ObjectNode broken = (ObjectNode) inNamespace(original, ns.name());
        breakIt.accept(broken);
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> ServerSideApply.dryRunApply(ns.client(), broken),
                "the API server accepted a search with a broken " + field + ": " + broken);
        assertTrue(e.getMessage().contains(field), "the rejection should name " + field + ": " + e.getMessage());
    }

    private static ObjectNode spec(ObjectNode search) {
        return (ObjectNode) search.path("spec");
    }

    /** The cluster-scoped kinds examples/ holds (a storage example, Kueue's queues). */
    static final java.util.Set<String> CLUSTER_SCOPED = java.util.Set.of("PersistentVolume", "ResourceFlavor", "ClusterQueue");

    private static JsonNode inNamespace(JsonNode doc, String namespace) {
        ObjectNode copy = doc.deepCopy();
        if (!CLUSTER_SCOPED.contains(doc.path("kind").asText())) {
            ((ObjectNode) copy.path("metadata")).put("namespace", namespace);
        }
        return copy;
    }
}
