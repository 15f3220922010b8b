package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.config.OperatorConfig;
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
import org.junit.jupiter.api.Test;

/**
 * An asynchronous search survives an operator restart: a fresh operator (nothing in memory) replays
 * the decisions from the status's arrival log and finishes the search, keeping every decision made
 * before the restart. Arrival order depends on timing, so the check is the log and lineage made
 * before the stop, not equality with another run. Its own profile, because it stops the application's operator.
 */
@QuarkusTest
@TestProfile(AsynchronousRestartTest.OwnApp.class)
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class AsynchronousRestartTest {
    public static class OwnApp implements QuarkusTestProfile {}

    @Inject
    Operator operator;
    @Inject
    OperatorConfig config;

    @Test
    void aRestartedOperatorKeepsEveryDecisionAndFinishesTheSearch() throws Exception {
        try (Harness h = new Harness("async-restart")) {
            h.create(Harness.searchYaml("bumpy", FaultsTest.FAST, 6, 3, AsynchronousSearchTest.UNEVEN,
                    "  schedule: asynchronous\n"));
            h.await("bumpy", s -> s.getStatus() != null && s.getStatus().arrivals().size() >= 5, Duration.ofMinutes(2));
            operator.stop();
            SearchStatus before = h.get("bumpy").getStatus();
            assertTrue(before.phase() == Phase.TRAINING, "stopped mid-search: " + before.phase());
            // Pods finish while nobody records them.
            List<String> unrecorded = h.awaitStepsFinishedUnrecorded("bumpy", Duration.ofSeconds(60));
            assertFalse(unrecorded.isEmpty(), "no step finished unrecorded while the operator was stopped: "
                    + h.podSummary("bumpy"));

            try (KubernetesClient client = TestApiServer.shared().newClient()) {
                Operator fresh = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
                fresh.register(new SearchReconciler(client, config.settings(),
                        new SearchMetrics(new SimpleMeterRegistry()), Clock.systemUTC()));
                fresh.start();
                try {
                    SearchStatus after = h.awaitPhase("bumpy", Phase.COMPLETE, Duration.ofMinutes(4)).getStatus();
                    AsynchronousSearchTest.judgedOnce(after, 6, 3);
                    List<Arrival> b = before.arrivals();
                    for (int i = 0; i < b.size(); i++) {
                        Arrival x = b.get(i);
                        Arrival y = after.arrivals().get(i);
                        assertEquals(List.of(x.member(), x.step(), x.attempt()), List.of(y.member(), y.step(),
                                y.attempt()), "arrival " + i + " kept its place");
                        assertEquals(x.score(), y.score(), "arrival " + i);
                        if (x.verdict() != Arrival.Verdict.WAITING) {
                            assertEquals(x.verdict(), y.verdict(), "arrival " + i + ": a decision made is kept");
                        }
                    }
                    for (int m = 0; m < 6; m++) {
                        List<LineageEntry> lb = before.member(m).lineage();
                        assertEquals(lb, after.member(m).lineage().subList(0, lb.size()), "member " + m + " lineage");
                    }
                } finally {
                    fresh.stop();
                }
            }
        }
    }
}
