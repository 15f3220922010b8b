package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The finalizer of a search is bounded: a cleanup that cannot run never holds the search (or its namespace). */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class CleanupTest {

    @Test
    void aSearchInANamespaceBeingDeletedIsLetGoThoughNoCleanerPodCanStart() throws Exception {
        try (Harness h = new Harness("nsgone")) {
            String yaml = Harness.searchYaml("ns", FaultsTest.FAST, 3, 3, "{sleepMillis: 5000}",
                    "  storage: {persistentVolumeClaim: {claimName: checkpoints}, retention: delete}\n")
                    .replace("  storage: {persistentVolumeClaim: {claimName: checkpoints}}\n", "");
            h.create(yaml);
            h.client.pods().inNamespace(h.namespace).withName("ns-m0-g0-a0").waitUntilCondition(
                    p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
                    60, TimeUnit.SECONDS);
            Path root = h.searchRoot(h.get("ns"));

            // The API server has no namespace controller here: the namespace stays Terminating, and pods
            // can no longer be created in it (NamespaceLifecycle), which is what a real deletion looks like
            // to the operator until the namespace controller deletes the search.
            h.client.namespaces().withName(h.namespace).delete();
            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("ns").delete();
            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("ns")
                    .waitUntilCondition(s -> s == null, 60, TimeUnit.SECONDS);
            assertTrue(Files.exists(root), "no cleaner can run, so the files stay (and the event says where): " + root);
        }
    }
}
