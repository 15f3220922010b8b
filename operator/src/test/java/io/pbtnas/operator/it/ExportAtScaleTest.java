package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;
import io.pbtnas.core.status.Reason;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.core.safetensors.Tensor;
import io.pbtnas.core.space.Genome;
import io.pbtnas.operator.plan.ExportDecision;
import io.pbtnas.operator.pods.ExportInput;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.testing.SimulatedSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The export of a long search: population 64 × 50 generations, whose status (about 0.5 MB) no
 * environment variable can carry (execve: 128 KiB per string). The status is the real engine's for
 * that spec, written as the operator would after 3200 steps (training them is not what this tests);
 * the export pod is the real {@code pbtnas export}, started by the test kubelet as a process.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class ExportAtScaleTest {
    private static final int POPULATION = 64;
    private static final int GENERATIONS = 50;

    @Test
    void aSearchOf64MembersAnd50GenerationsIsExportedWithItsReport() throws Exception {
        try (Harness h = new Harness("bigexport")) {
            // Suspended: the operator records the search but starts no member pod.
            h.create(Harness.searchYaml("big", FaultsTest.FAST, POPULATION, GENERATIONS, "{}", "  suspend: true\n"));
            PbtNasSearch recorded = h.await("big", s -> s.getStatus() != null && s.getStatus()
                    .condition(ConditionType.SUSPENDED.code()).map(c -> c.isTrue()).orElse(false),
                    Duration.ofSeconds(60));
            SearchSpec spec = recorded.getSpec().withDefaults();
            SearchStatus complete = SimulatedSearch.complete(spec);
            assertEquals(Phase.COMPLETE, complete.phase());
            int statusBytes = Json.write(complete).getBytes(StandardCharsets.UTF_8).length;
            assertTrue(statusBytes > 128 * 1024, "the status must not fit an environment variable: " + statusBytes);

            // The best member's checkpoint, as its trainer would have left it.
            Path root = h.searchRoot(recorded);
            Path model = root.resolve(complete.best().checkpoint());
            Files.createDirectories(model.getParent());
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("cell0.weight", Tensor.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4}));
            Safetensors.write(model, Map.of(CheckpointMetadata.GENOME, new Genome(complete.best().genome()).toJson(),
                    CheckpointMetadata.EPOCH, Integer.toString(GENERATIONS * spec.epochsPerGeneration())), tensors);

            h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("big").editStatus(s -> {
                s.setStatus(complete.withConditions(s.getStatus().conditions())
                        .withObservedGeneration(s.getStatus().observedGeneration()));
                return s;
            });
            PbtNasSearch done = h.await("big", s -> s.getStatus().condition(ConditionType.EXPORTED.code())
                    .map(c -> c.isTrue() || Reason.EXPORT_FAILED.equals(c.reason()))
                    .orElse(false), Duration.ofMinutes(3));
            Condition exported = done.getStatus().condition(ConditionType.EXPORTED.code()).orElseThrow();
            assertEquals(ConditionStatus.TRUE, exported.status(), exported.message() + "; pods: " + h.podSummary("big"));

            assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(root.resolve("best/model.safetensors")));
            JsonNode history = Json.MAPPER.readTree(root.resolve("history.json").toFile());
            assertEquals(POPULATION, history.get("scores").size(), "history.json scores every member");
            // report.html beside best/: every member, every generation's replacements.
            String html = Files.readString(root.resolve("report.html"));
            assertEquals(POPULATION, count(html, "class=\"member-row"), "a population row per member");
            assertTrue(html.contains("<code>big</code>"), "named after the search");
            try (var files = Files.list(root)) {
                List<String> temps = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
                assertTrue(temps.isEmpty(), "temporary files left: " + temps);
            }
            // The input is deleted once exported (the owner reference would keep it until the search goes).
            h.client.configMaps().inNamespace(h.namespace).withName(ExportInput.configMapName("big"))
                    .waitUntilCondition(cm -> cm == null, 30, TimeUnit.SECONDS);
            assertNull(h.client.configMaps().inNamespace(h.namespace).withName(ExportInput.configMapName("big")).get());
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
