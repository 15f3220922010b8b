package io.pbtnas.operator.it;

import io.pbtnas.operator.plan.SearchEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.pods.PodLabels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Member pods that fail or vanish, and deleting a search. Uses the fast ContractTrainer. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class FaultsTest {
    static final String FAST = "pbtnas/contract-trainer:1";

    @Test
    void trainerExitingNonZeroIsRetriedAndTheSearchCompletes() throws Exception {
        try (Harness h = new Harness("exit")) {
            // Member 1's first attempt in generation 1 exits 1.
            h.kubelet.failNext("^crash-m1-g1-a0$", io.pbtnas.operator.pods.ContainerNames.TRAINER, 1);
            h.create(Harness.searchYaml("crash", FAST, 4, 3, "{}", "  failurePolicy: {maxRetries: 2}\n"));
            PbtNasSearch done = h.awaitPhase("crash", Phase.COMPLETE, Duration.ofMinutes(3));

            Pod failed = h.lastSeen("crash-m1-g1-a0");
            assertEquals("Failed", failed.getStatus().getPhase());
            Pod retry = h.lastSeen("crash-m1-g1-a1");
            assertNotNull(retry, "no retry pod; pods: " + h.podSummary("crash"));
            assertEquals("Succeeded", retry.getStatus().getPhase());
            // The retry started only after the backoff (2 s in tests) from the failure. Both timestamps
            // are truncated to the second, and the operator counts from the truncated one, so the
            // retry's start is at least 2 s after the failure's as written.
            assertFalse(PodStart.of(retry).isBefore(PodStart.finished(failed).plusSeconds(2)),
                    "retry started " + PodStart.of(retry) + ", failure at " + PodStart.finished(failed));
            assertEquals(3, done.getStatus().member(1).scores().size(), "the retried member still has every score");
            // Attempt 1's files count for member 1's generation 1, and generation 2 reads exactly them.
            assertEquals(List.of(0, 1, 0), done.getStatus().member(1).checkpointAttempts());
            List<String> uses = new ArrayList<>();
            for (Pod p : h.seenMemberPods("crash")) {
                if ("2".equals(p.getMetadata().getLabels().get(PodLabels.GENERATION))) {
                    p.getSpec().getInitContainers().forEach(c -> {
                        c.getArgs().forEach(uses::add);
                        c.getEnv().forEach(e -> uses.add(e.getValue()));
                    });
                }
            }
            List<String> ofMember1 = uses.stream().filter(u -> u != null && u.contains("members/1/gen-1/")).toList();
            assertFalse(ofMember1.isEmpty(), "generation 2 reads member 1's generation-1 checkpoint: " + uses);
            ofMember1.forEach(u -> assertTrue(u.contains("members/1/gen-1/attempt-1/model.safetensors")
                    && !u.contains("members/1/gen-1/attempt-0"), u));
            assertTrue(h.eventReasons().contains(SearchEvent.POD_FAILED), h.eventReasons().toString());
        }
    }

    @Test
    void aTruncatedCheckpointIsAFailedAttemptNamingTheCheckNotACompleteSearch() throws Exception {
        try (Harness h = new Harness("truncated")) {
            // Every member's last step writes half a checkpoint and exits 0 with a valid score.
            h.create(Harness.searchYaml("cut", FAST, 4, 2, "{truncateInGeneration: 1}",
                    "  failurePolicy: {maxRetries: 0}\n"));
            PbtNasSearch done = h.awaitPhase("cut", Phase.FAILED, Duration.ofMinutes(3));
            String status = io.pbtnas.core.json.Json.write(done.getStatus());
            assertTrue(status.contains("output check 'checkpoint parses'"), status);
            assertTrue(status.contains("every remaining member failed in generation 1"), status);
            h.record("cut", "failed");
        }
    }

    @Test
    void aMemberThatFailsForGoodDegradesTheSearchUntilTheNextGenerationReplacesIt() throws Exception {
        try (Harness h = new Harness("drop")) {
            // Member 1's only attempt in generation 0 exits 1, and no retry is allowed: it is dropped.
            h.kubelet.failNext("^drop-m1-g0-a0$", io.pbtnas.operator.pods.ContainerNames.TRAINER, 1);
            h.create(Harness.searchYaml("drop", FAST, 4, 2, "{sleepMillis: 1000}", "  failurePolicy: {maxRetries: 0}\n"));
            PbtNasSearch degraded = h.await("drop", s -> s.getStatus() != null && s.getStatus()
                    .condition(io.pbtnas.core.status.ConditionType.DEGRADED.code()).map(c -> c.isTrue()).orElse(false),
                    Duration.ofSeconds(60));
            String status = io.pbtnas.core.json.Json.write(degraded.getStatus());
            assertEquals(Phase.TRAINING, degraded.getStatus().phase(), status);
            h.record("drop", "degraded");

            PbtNasSearch done = h.awaitPhase("drop", Phase.COMPLETE, Duration.ofMinutes(3));
            String end = io.pbtnas.core.json.Json.write(done.getStatus());
            assertTrue(done.getStatus().member(1).failedAt().contains(0), "member 1 failed for good in generation 0: " + end);
            assertEquals(2, done.getStatus().member(0).scores().size(), end);
            // The next generation replaced the dropped member by a child of the others: healthy again.
            assertTrue(done.getStatus().member(1).replacedAt().contains(1), end);
            assertTrue(done.getStatus().condition(io.pbtnas.core.status.ConditionType.DEGRADED.code())
                    .map(c -> !c.isTrue()).orElse(false), "Degraded clears once the member is replaced: " + end);
        }
    }

    @Test
    void memberPodDeletedMidStepIsReplacedAndTheSearchCompletes() throws Exception {
        try (Harness h = new Harness("delete")) {
            h.create(Harness.searchYaml("gone", FAST, 4, 2, "{sleepMillis: 3000}", ""));
            String victim = "gone-m2-g0-a0";
            // Mid-step: while its trainer runs (phase Running would mean the trainer is done already).
            h.client.pods().inNamespace(h.namespace).withName(victim)
                    .waitUntilCondition(DisruptionsTest::trainerRunning, 60, TimeUnit.SECONDS);
            h.client.pods().inNamespace(h.namespace).withName(victim).delete();

            PbtNasSearch done = h.awaitPhase("gone", Phase.COMPLETE, Duration.ofMinutes(3));
            SearchStatus s = done.getStatus();
            assertEquals(2, s.member(2).scores().size(), "member 2 scores " + s.member(2).scores());
            assertNotEquals("Succeeded", h.lastSeen(victim).getStatus().getPhase(), "the deleted pod finished its step");
            boolean rerun = h.seenMemberPods("gone").stream().anyMatch(p -> p.getMetadata().getName().startsWith("gone-m2-g0-")
                    && !p.getMetadata().getName().equals(victim) && "Succeeded".equals(p.getStatus().getPhase()));
            assertTrue(rerun, "member 2 generation 0 never finished after the deletion: " + h.podHistory());
        }
    }

    @Test
    void deletingTheSearchDeletesItsPodsAndWithRetentionDeleteItsCheckpoints() throws Exception {
        try (Harness h = new Harness("retention")) {
            String yaml = Harness.searchYaml("bye", FAST, 4, 2, "{sleepMillis: 5000}",
                    "  storage: {persistentVolumeClaim: {claimName: checkpoints}, retention: delete}\n")
                    .replace("  storage: {persistentVolumeClaim: {claimName: checkpoints}}\n", "");
            PbtNasSearch search = h.create(yaml);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (h.memberPods("bye").stream()
                    .noneMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))) {
                assertTrue(System.nanoTime() < deadline, "no member pod ran: " + h.podSummary("bye"));
                Thread.sleep(100);
            }
            search = h.get("bye");
            Path root = h.searchRoot(search);
            assertTrue(Files.isDirectory(root), "no search directory " + root);
            assertFalse(search.getMetadata().getFinalizers().isEmpty(), "no finalizer on the search");

            h.client.resource(search).delete();
            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("bye")
                    .waitUntilCondition(s -> s == null, 60, TimeUnit.SECONDS);
            assertEquals(0, h.client.pods().inNamespace(h.namespace).withLabel(PodLabels.SEARCH, "bye").list()
                    .getItems().size(), h.podSummary("bye"));
            assertFalse(Files.exists(root), "checkpoints left at " + root);
        }
    }
}
