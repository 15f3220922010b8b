package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.config.OperatorConfig;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodLabels;
import io.pbtnas.operator.apply.SearchMetrics;
import io.pbtnas.operator.SearchReconciler;
import io.pbtnas.testkit.TestApiServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator is stopped in the middle of a generation and a fresh one (new reconciler, new
 * informers, nothing in memory) takes over: the search ends with the same status as an
 * uninterrupted run of the same spec. Uses the fast ContractTrainer. Its own profile, because it
 * stops the application's operator.
 */
@QuarkusTest
@TestProfile(RestartTest.OwnApp.class)
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class RestartTest {
    public static class OwnApp implements QuarkusTestProfile {}

    @Inject
    Operator operator;
    @Inject
    OperatorConfig config;

    @Test
    void restartMidGenerationReachesTheSameFinalStatus() throws Exception {
        try (Harness h = new Harness("restart")) {
            String args = "{sleepMillis: 1500}";
            h.create(Harness.searchYaml("steady", FaultsTest.FAST, 4, 3, args, ""));
            SearchStatus uninterrupted = h.awaitPhase("steady", Phase.COMPLETE, Duration.ofMinutes(3)).getStatus();

            h.create(Harness.searchYaml("bumpy", FaultsTest.FAST, 4, 3, args, ""));
            // Mid-generation: some generation-1 pod is running.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (h.client.pods().inNamespace(h.namespace).withLabel(PodLabels.SEARCH, "bumpy")
                    .withLabel(PodLabels.GENERATION, "1").list().getItems().stream()
                    .noneMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))) {
                assertTrue(System.nanoTime() < deadline, "no generation-1 pod ran: " + h.podSummary("bumpy"));
                Thread.sleep(100);
            }
            operator.stop();
            // While no operator runs, pods finish and nobody records them.
            List<String> unrecorded = h.awaitStepsFinishedUnrecorded("bumpy", Duration.ofSeconds(60));
            assertFalse(unrecorded.isEmpty(), "no step finished unrecorded while the operator was stopped: "
                    + h.podSummary("bumpy"));
            assertTrue(h.get("bumpy").getStatus().phase() != Phase.COMPLETE);

            try (KubernetesClient client = TestApiServer.shared().newClient()) {
                Operator fresh = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
                fresh.register(new SearchReconciler(client, config.settings(),
                        new SearchMetrics(new SimpleMeterRegistry()), Clock.systemUTC()));
                fresh.start();
                try {
                    SearchStatus resumed = h.awaitPhase("bumpy", Phase.COMPLETE, Duration.ofMinutes(3)).getStatus();
                    assertEquals(Json.write(outcome(uninterrupted)), Json.write(outcome(resumed)));
                } finally {
                    fresh.stop();
                }
            }
        }
    }

    /** What the search decided and measured; conditions differ only in their timestamps. */
    private static SearchStatus outcome(SearchStatus s) {
        return new SearchStatus(s.phase(), s.generation(), s.best(), s.members(), null, null, s.message());
    }
}
