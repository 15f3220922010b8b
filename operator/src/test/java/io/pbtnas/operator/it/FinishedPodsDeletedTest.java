package io.pbtnas.operator.it;

import io.pbtnas.operator.pods.ContainerNames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Phase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounded resources: finished member pods go once the status records them; each member's last failure stays. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class FinishedPodsDeletedTest {

    @Test
    void aFinishedSearchLeavesOnlyTheLastFailedPodPerMember() throws Exception {
        try (Harness h = new Harness("podgc")) {
            h.kubelet.failNext("^gc-m1-g1-a0$", ContainerNames.TRAINER, 1);
            h.create(Harness.searchYaml("gc", FaultsTest.FAST, 4, 3, "{}", "  failurePolicy: {maxRetries: 2}\n"));
            h.awaitPhase("gc", Phase.COMPLETE, Duration.ofMinutes(3));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> left;
            do {
                Thread.sleep(200);
                left = h.memberPods("gc").stream().map(p -> p.getMetadata().getName()).sorted().toList();
            } while (!left.equals(List.of("gc-m1-g1-a0")) && System.nanoTime() < deadline);
            assertEquals(List.of("gc-m1-g1-a0"), left, "population 4 x 3 generations + 1 retry ran; left: "
                    + h.podSummary("gc"));
            assertEquals(4 * 3 + 1, h.seenMemberPods("gc").size(), h.podHistory().toString());
            assertTrue(h.podHistory().contains("deleted gc-m0-g0-a0"), h.podHistory().toString());
        }
    }
}
