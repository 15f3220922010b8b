package io.pbtnas.operator.pods;

import io.pbtnas.operator.api.PbtNasSearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.operator.testing.SimulatedSearch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The export pod's input: the search in a ConfigMap the search owns, small enough at any population. */
public class ExportInputTest {
    /** One string of an environment (or argument) passed to execve: MAX_ARG_STRLEN, 32 pages. */
    static final int EXECVE_STRING_LIMIT = 128 * 1024;
    /** A ConfigMap's data and binaryData together, as the API server checks them. */
    static final int CONFIG_MAP_LIMIT = 1024 * 1024;

    /** A search as in the examples: six genes, two hyperparameters. */
    static SearchSpec spec(int population, int generations, String schedule) {
        String yaml = """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: big}
                spec:
                  population: %d
                  generations: %d
                  seed: 7
                  schedule: %s
                  searchSpace:
                    genes:
                      - {name: cell0, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                      - {name: cell1, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                      - {name: cell2, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                      - {name: cell3, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                      - {name: cell4, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                      - {name: cell5, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
                    hyperparameters:
                      - {name: learningRate, logUniform: [1.0e-4, 1.0e-2]}
                      - {name: weightDecay, uniform: [0.0, 1.0e-3]}
                  trainer: {image: "pbtnas/trainer:1", task: fashion-mnist}
                  storage: {persistentVolumeClaim: {claimName: ckpt}}
                """.formatted(population, generations, schedule);
        return Serialization.unmarshal(yaml, PbtNasSearch.class).getSpec().withDefaults();
    }

    static PbtNasSearch search(SearchSpec spec) {
        PbtNasSearch s = PodBuildersTest.search();
        s.setSpec(spec);
        return s;
    }

    public static byte[] file(ConfigMap cm) throws Exception {
        byte[] gz = Base64.getDecoder().decode(cm.getBinaryData().get(ExportInput.KEY));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static int configMapBytes(ConfigMap cm) {
        return cm.getBinaryData().values().stream().mapToInt(v -> Base64.getDecoder().decode(v).length).sum();
    }

    @Test
    void configMapIsOwnedBySearchAndHoldsTheResourceWithoutConditions() throws Exception {
        SearchSpec spec = spec(8, 3, "synchronous");
        SearchStatus status = SimulatedSearch.complete(spec);
        assertEquals(Phase.COMPLETE, status.phase());
        assertTrue(!status.conditions().isEmpty(), "the engine's status has conditions");
        ConfigMap cm = ExportInput.configMap(search(spec), spec, status);
        assertEquals("fm-export", cm.getMetadata().getName());
        assertEquals("ns1", cm.getMetadata().getNamespace());
        assertEquals("0123abcd-ffff-eeee-dddd-cccccccccccc", cm.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(Boolean.TRUE, cm.getMetadata().getOwnerReferences().get(0).getController());
        assertEquals(Boolean.TRUE, cm.getImmutable());
        JsonNode r = Json.MAPPER.readTree(new String(file(cm), StandardCharsets.UTF_8));
        assertEquals("PbtNasSearch", r.get("kind").asText());
        assertEquals("fm", r.get("metadata").get("name").asText());
        assertEquals(spec, Json.MAPPER.treeToValue(r.get("spec"), SearchSpec.class));
        SearchStatus passed = Json.MAPPER.treeToValue(r.get("status"), SearchStatus.class);
        assertEquals(status.withConditions(List.of()).withObservedGeneration(null), passed);
    }

    /**
     * Why a file and why compressed: the status alone passes execve's limit on one string at
     * population 64 × 50 generations (0.4 MB; 0.7 MB asynchronous, with its arrival log), and at
     * 256 × 50 passes a ConfigMap's 1 MiB (1.7 MB); compressed it stays under a third of it.
     */
    @Test
    void statusSizesAtScaleFitTheConfigMapButNotAnEnvironmentVariable() {
        StringBuilder table = new StringBuilder("population x generations, schedule: status JSON bytes -> ConfigMap bytes\n");
        List<Runnable> checks = new java.util.ArrayList<>();
        // 256 × 50 asynchronous (2.9 MB of status, 0.46 MB stored) takes minutes to simulate: left out.
        for (Object[] size : new Object[][] {{64, 50, "synchronous"}, {64, 50, "asynchronous"}, {256, 50, "synchronous"}}) {
            {
                String schedule = (String) size[2];
                SearchSpec spec = spec((Integer) size[0], (Integer) size[1], schedule);
                SearchStatus status = SimulatedSearch.complete(spec);
                assertEquals(Phase.COMPLETE, status.phase());
                int json = Json.write(status).getBytes(StandardCharsets.UTF_8).length;
                int stored = configMapBytes(ExportInput.configMap(search(spec), spec, status));
                table.append("  %d x %d, %s: %d -> %d (%.1f%% of 1 MiB)%n".formatted(size[0], size[1], schedule, json,
                        stored, 100.0 * stored / CONFIG_MAP_LIMIT));
                String what = size[0] + " x " + size[1] + " " + schedule;
                checks.add(() -> assertTrue(json > EXECVE_STRING_LIMIT, what + ": status of " + json + " bytes"));
                checks.add(() -> assertTrue(stored < CONFIG_MAP_LIMIT / 2, what + ": ConfigMap of " + stored + " bytes"));
            }
        }
        System.out.print(table);
        checks.forEach(Runnable::run);
    }
}
