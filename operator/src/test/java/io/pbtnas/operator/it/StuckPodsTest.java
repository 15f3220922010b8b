package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;

import io.pbtnas.operator.plan.SearchEvent;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Member pods that cannot go on without help are named in condition Stuck and a PodStuck event. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class StuckPodsTest {

    private static Optional<Condition> stuck(PbtNasSearch s) {
        return s.getStatus() == null ? Optional.empty() : s.getStatus().condition(ConditionType.STUCK.code());
    }

    private static List<Event> stuckEvents(Harness h) {
        return h.client.v1().events().inNamespace(h.namespace).list().getItems().stream()
                .filter(e -> SearchEvent.POD_STUCK.equals(e.getReason())).toList();
    }

    @Test
    void anUnschedulablePodIsNamedUntilTheNodeGetsTheLabelThenTheSearchCompletes() throws Exception {
        try (Harness h = new Harness("unsched")) {
            // No node has pool=gpu-a: the (test) scheduler marks every member pod Unschedulable.
            h.create(Harness.searchYaml("pend", FaultsTest.FAST, 4, 2, "{}", "")
                    .replace("    resources: {requests: {cpu: \"1\"}}\n",
                            "    resources: {requests: {cpu: \"1\"}}\n    nodeSelector: {pool: gpu-a}\n"));
            PbtNasSearch s = h.await("pend", p -> stuck(p).map(c -> c.isTrue()).orElse(false),
                    Duration.ofSeconds(60));
            Condition c = stuck(s).orElseThrow();
            assertEquals("Unschedulable", c.reason());
            h.record("pend", "stuck-unschedulable");
            assertTrue(c.message().matches("member (\\d) \\(pod pend-m\\1-g0-a0\\): Unschedulable: 0/1 nodes are available.*")
                    && c.message().contains("node affinity/selector"), c.message());
            List<Event> events = stuckEvents(h);
            assertTrue(!events.isEmpty() && events.stream().allMatch(e -> "Warning".equals(e.getType())),
                    h.eventReasons().toString());
            assertTrue(events.stream().anyMatch(e -> e.getMessage().contains("Unschedulable")), events.toString());

            // The fix: `kubectl label node ... pool=gpu-a`. The pods are scheduled and the condition clears.
            h.kubelet.label("pool", "gpu-a");
            PbtNasSearch done = h.awaitPhase("pend", Phase.COMPLETE, Duration.ofMinutes(3));
            Condition cleared = stuck(done).orElseThrow();
            assertEquals(ConditionStatus.FALSE, cleared.status(), cleared.toString());
            assertEquals("NoStuckPods", cleared.reason());
        }
    }

    @Test
    void anImageTheNodeCannotPullIsNamedWithThePullError() throws Exception {
        try (Harness h = new Harness("pull")) {
            h.create(Harness.searchYaml("nopull", "pbtnas/not-on-this-node:1", 4, 2, "{}", ""));
            PbtNasSearch s = h.await("nopull", p -> stuck(p).map(c -> c.isTrue()).orElse(false),
                    Duration.ofSeconds(60));
            Condition c = stuck(s).orElseThrow();
            assertEquals("ErrImagePull", c.reason(), c.toString());
            assertTrue(c.message().matches("member (\\d) \\(pod nopull-m\\1-g0-a0\\): ErrImagePull: container trainer: .*")
                    && c.message().contains("pbtnas/not-on-this-node:1"), c.message());
            assertTrue(stuckEvents(h).stream().anyMatch(e -> e.getMessage().contains("ErrImagePull")),
                    h.eventReasons().toString());
        }
    }
}
