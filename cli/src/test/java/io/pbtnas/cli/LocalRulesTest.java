package io.pbtnas.cli;


import io.pbtnas.cli.manifest.ManifestException;
import io.pbtnas.cli.manifest.ManifestReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local validator rejects what the CRD rejects (the API-server tier compares both: ValidationTest). */
class LocalRulesTest {
    static String manifest(String name, String trainer) {
        return """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: %s}
                spec:
                  population: 4
                  generations: 2
                  searchSpace: {genes: [{name: cell0, options: [conv3x3, skip]}]}
                  trainer: %s
                """.formatted(name, trainer);
    }

    static String problems(String yaml) {
        return String.join("\n", assertThrows(ManifestException.class, () -> new ManifestReader().parse(yaml, "m"))
                .problems());
    }

    @Test
    void namesLongerThanTheClusterAllowsAreRejected() {
        assertDoesNotThrow(() -> new ManifestReader().parse(manifest("a".repeat(40), "{}"), "m"));
        String p = problems(manifest("a".repeat(41), "{}"));
        assertTrue(p.startsWith("metadata.name: at most 40 characters"), p);
    }

    @Test
    void resourceValuesMustBeQuantities() {
        String gpu = problems(manifest("g", "{resources: {limits: {nvidia.com/gpu: one}}}"));
        assertTrue(gpu.startsWith("spec.trainer.resources.limits.nvidia.com/gpu: 'one' is not a Kubernetes quantity"),
                gpu);
        String mem = problems(manifest("m", "{resources: {requests: {memory: 4Gx}}}"));
        assertTrue(mem.startsWith("spec.trainer.resources.requests.memory: '4Gx'"), mem);
        assertDoesNotThrow(() -> new ManifestReader().parse(manifest("ok",
                "{resources: {requests: {memory: 4Gi, cpu: 500m, x: 1e3, y: \".5\"}, limits: {nvidia.com/gpu: \"1\"}}}"),
                "m"));
    }
}
