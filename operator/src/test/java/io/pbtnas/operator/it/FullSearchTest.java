package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;

import io.pbtnas.operator.plan.SearchEvent;
import io.pbtnas.operator.pods.ContainerNames;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.safetensors.SafetensorsReader;
import io.pbtnas.core.space.Genome;
import io.pbtnas.operator.plan.ExportDecision;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole search on the real API server: population 8, 3 generations, the real DJL trainer on a
 * small Fashion-MNIST subset, the real {@code pbtnas mix} in the init containers, and the real
 * {@code pbtnas export} writing best/ and history.json at the end.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class FullSearchTest {

    @Test
    void searchRunsFromCreationToCompleteWithMixedCheckpoints() throws Exception {
        try (Harness h = new Harness("full")) {
            String args = "{trainSubset: 256, validationSubset: 128, testSubset: 128, batchSize: 64, threads: 1, width: 8}";
            PbtNasSearch search = h.create(Harness.searchYaml("fmnist", "pbtnas/trainer:0.1.0", 8, 3, args,
                    "  parallelism: 2\n"));
            PbtNasSearch done = h.awaitPhase("fmnist", Phase.COMPLETE, Duration.ofMinutes(8));
            SearchStatus status = done.getStatus();

            // Status: every member scored in every generation, the best member is the top final score.
            assertEquals(8, status.members().size());
            for (MemberStatus m : status.members()) {
                assertEquals(3, m.scores().size(), "member " + m.id() + " scores " + m.scores());
            }
            assertNotNull(status.best());
            double topFinal = status.members().stream().mapToDouble(m -> m.scores().get(2)).max().orElseThrow();
            assertEquals(topFinal, status.best().score(), 1e-12);
            assertTrue(status.best().score() > 0.1, "best accuracy " + status.best().score() + " is at chance level");
            Condition complete = status.condition(ConditionType.COMPLETE.code()).orElseThrow();
            assertEquals(ConditionStatus.TRUE, complete.status());
            assertEquals(done.getMetadata().getGeneration(), complete.observedGeneration());

            // Replaced members started from a mixed checkpoint that the init container wrote.
            Path root = h.searchRoot(done);
            int mixed = 0;
            for (MemberStatus m : status.members()) {
                for (LineageEntry e : m.lineage()) {
                    if (e.kind() == LineageEntry.Kind.MIX) {
                        Path input = root.resolve("members/" + m.id() + "/gen-" + e.generation() + "/input.safetensors");
                        assertTrue(Files.isRegularFile(input), "no mixed checkpoint " + input);
                        try (SafetensorsReader r = SafetensorsReader.open(input)) {
                            Genome genome = Genome.fromJson(r.metadata().get(CheckpointMetadata.GENOME));
                            assertFalse(genome.choices().isEmpty());
                        }
                        mixed++;
                    }
                }
            }
            // 2 replacement rounds (after generations 0 and 1) × floor(0.25·8) = 4 children.
            assertEquals(4, mixed, "mixed children");
            for (MemberStatus m : status.members()) {
                for (int g = 0; g < 3; g++) {
                    assertEquals("members/" + m.id() + "/gen-" + g + "/attempt-0/model.safetensors",
                            m.checkpointAt(g).orElseThrow(), "no retries here: attempt 0 counts");
                    assertTrue(Files.isRegularFile(root.resolve(m.checkpointAt(g).orElseThrow())));
                }
            }

            // Pods: one per member and generation, labelled, owned by the search; mix init only for children,
            // search-dir init (creates the search's directory as the pod's user) only for generation 0.
            List<Pod> pods = h.seenMemberPods("fmnist"); // finished ones are deleted once recorded
            assertEquals(24, pods.size(), h.podSummary("fmnist"));
            long withMix = pods.stream().filter(p -> p.getSpec().getInitContainers().stream()
                    .anyMatch(c -> c.getName().equals(ContainerNames.MIX))).count();
            assertEquals(4, withMix);
            long withDir = pods.stream().filter(p -> p.getSpec().getInitContainers().stream()
                    .anyMatch(c -> c.getName().equals(ContainerNames.SEARCH_DIR))).count();
            assertEquals(8, withDir);
            // parallelism 2: never more member pods at once, even though pods are read from the informer
            // cache, which may not show a pod created a moment ago; and the slots are used.
            assertEquals(2, mostAtOnce(pods), h.podSummary("fmnist"));
            for (Pod p : pods) {
                assertEquals(search.getMetadata().getUid(), p.getMetadata().getOwnerReferences().get(0).getUid());
                List<String> init = p.getSpec().getInitContainers().stream().map(c -> c.getName()).toList();
                assertEquals(ContainerNames.TRAINER, init.get(init.size() - 1), "the trainer runs last before verify");
                assertEquals(ContainerNames.VERIFY, p.getSpec().getContainers().get(0).getName());
            }

            // best/ and history.json: written by the export pod (`pbtnas export`) once the search is complete.
            PbtNasSearch exported = h.await("fmnist", s -> s.getStatus().condition(ConditionType.EXPORTED.code())
                    .map(c -> c.isTrue()).orElse(false), Duration.ofMinutes(2));
            assertEquals(Phase.COMPLETE, exported.getStatus().phase());
            assertEquals(status.best(), exported.getStatus().best(), "the export does not change the result");
            Path bestModel = root.resolve("best/model.safetensors");
            assertTrue(Files.isRegularFile(bestModel), "no " + bestModel);
            assertArrayEquals(Files.readAllBytes(root.resolve(status.best().checkpoint())), Files.readAllBytes(bestModel),
                    "best/model.safetensors is not the best member's checkpoint " + status.best().checkpoint());
            assertEquals(status.best().genome(), Json.MAPPER.readValue(root.resolve("best/genome.json").toFile(),
                    new TypeReference<Map<String, String>>() {}));
            assertEquals(Json.MAPPER.readTree(done.getSpec().withDefaults().searchSpace().toJson()),
                    Json.MAPPER.readTree(root.resolve("best/search-space.json").toFile()));
            assertEquals(status.best().score(), Json.MAPPER.readTree(root.resolve("best/metrics.json").toFile())
                    .get("score").asDouble(), 1e-12);
            JsonNode history = Json.MAPPER.readTree(root.resolve("history.json").toFile());
            List<String> historyMixes = new ArrayList<>();
            for (JsonNode e : history.get("lineage")) {
                if ("mix".equals(e.get("kind").asText())) {
                    historyMixes.add(e.get("member").asInt() + "@" + e.get("generation").asInt() + "<-"
                            + e.get("parent").asInt() + "+" + e.get("donor").asInt());
                }
            }
            List<String> statusMixes = new ArrayList<>();
            for (MemberStatus m : status.members()) {
                for (LineageEntry e : m.lineage()) {
                    if (e.kind() == LineageEntry.Kind.MIX) {
                        statusMixes.add(m.id() + "@" + e.generation() + "<-" + e.parent() + "+" + e.donor());
                    }
                }
            }
            assertEquals(4, historyMixes.size(), history.toString());
            assertEquals(new java.util.TreeSet<>(statusMixes), new java.util.TreeSet<>(historyMixes));
            Pod export = h.client.pods().inNamespace(h.namespace).withName("fmnist-export-a0").get();
            assertEquals("Succeeded", export.getStatus().getPhase());
            assertEquals(search.getMetadata().getUid(), export.getMetadata().getOwnerReferences().get(0).getUid());
            // report.html beside best/, as the local mode writes it: every member of the search.
            String report = Files.readString(root.resolve("report.html"));
            assertEquals(8, report.split("class=\"member-row", -1).length - 1, "a report row per member");
            assertTrue(report.contains("<code>fmnist</code>"), "the report names the search");

            // Events and metrics.
            List<String> reasons = h.eventReasons();
            assertTrue(reasons.contains(SearchEvent.GENERATION_COMPLETED), reasons.toString());
            assertTrue(reasons.contains(SearchEvent.MEMBER_REPLACED), reasons.toString());
            assertEquals(1, reasons.stream().filter(SearchEvent.BEST_EXPORTED::equals).count(), reasons.toString());
            String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.contains("pbtnas_search_best_score{") && metrics.contains("search=\"fmnist\""), metrics);
            assertTrue(metrics.contains("pbtnas_pods_started_total"), "no pods-started counter");
            RestAssured.get("/q/health/ready").then().statusCode(200);
        }
    }

    /**
     * The most pods alive at one moment. Times are whole seconds (created rounded down, finished rounded
     * down), so a pod counted at a creation second was alive just before the next second: a lower bound,
     * never an over-count.
     */
    private static int mostAtOnce(List<Pod> pods) {
        int most = 0;
        for (Pod q : pods) {
            Instant t = Instant.parse(q.getMetadata().getCreationTimestamp());
            int alive = 0;
            for (Pod p : pods) {
                if (!Instant.parse(p.getMetadata().getCreationTimestamp()).isAfter(t) && finishedAt(p).isAfter(t)) {
                    alive++;
                }
            }
            most = Math.max(most, alive);
        }
        return most;
    }

    private static Instant finishedAt(Pod pod) {
        return PodStart.finished(pod);
    }
}
