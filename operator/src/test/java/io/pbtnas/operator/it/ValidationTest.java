package io.pbtnas.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every invalid manifest is rejected by the real API server (schema and CEL), with a message saying what to fix. */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationTest {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private Harness h;

    @BeforeAll
    void start() throws Exception {
        h = new Harness("validation");
    }

    @AfterAll
    void stop() {
        h.close();
    }

    record Invalid(String why, String name, String specPatch, String expectedMessage) {}

    static final List<Invalid> INVALID = List.of(
            new Invalid("population below the schema minimum", "p0", "population: 0", "spec.population"),
            new Invalid("population above the schema maximum (the status holds every member)", "pmax",
                    "population: 100000", "less than or equal to 1024"),
            new Invalid("pbt-nas population too small for a parent pool", "p2", "population: 2",
                    "pbt-nas needs at least 3 members"),
            new Invalid("replaceFraction outside (0,1)", "tau", "selection: {replaceFraction: 1.5}",
                    "spec.selection.replaceFraction"),
            new Invalid("replaceFraction exactly 0", "tau0", "selection: {replaceFraction: 0}",
                    "spec.selection.replaceFraction"),
            new Invalid("negative shrink (lambda)", "lam", "mixing: {shrink: -0.1}", "spec.mixing.shrink"),
            new Invalid("negative perturb (gamma)", "gam", "mixing: {perturb: -1}", "spec.mixing.perturb"),
            new Invalid("unknown strategy", "strat", "strategy: evolution", "spec.strategy"),
            new Invalid("parallelism 0", "par", "parallelism: 0", "spec.parallelism"),
            new Invalid("claimName missing", "pvc", "storage: {persistentVolumeClaim: {}}",
                    "spec.storage.persistentVolumeClaim.claimName"),
            new Invalid("retention unknown", "ret", "storage: {persistentVolumeClaim: {claimName: x}, retention: keep}",
                    "spec.storage.retention"),
            new Invalid("both a claim and a bucket", "both", "storage: {persistentVolumeClaim: {claimName: x}, "
                    + "s3: {bucket: team-bucket}}", "exactly one of"),
            new Invalid("a bucket without its name", "nobucket", "storage: {s3: {prefix: searches}}",
                    "spec.storage.s3.bucket"));

    @Test
    void everyInvalidManifestIsRejectedWithItsMessage() {
        for (Invalid bad : INVALID) {
            String yaml = manifest(bad.name(), bad.specPatch());
            KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> create(yaml),
                    bad.why() + ": the API server accepted " + yaml);
            assertEquals(422, e.getCode(), bad.why() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(bad.expectedMessage()),
                    bad.why() + ": message should name '" + bad.expectedMessage() + "' but was: " + e.getMessage());
        }
    }

    @Test
    void missingRequiredFieldsAreRejected() {
        String yaml = """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: nospace}
                spec: {population: 4}
                """;
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> create(yaml));
        assertTrue(e.getMessage().contains("spec.generations") && e.getMessage().contains("spec.searchSpace"),
                e.getMessage());
    }

    @Test
    void storageAndTrainerImageAreRequiredOnACluster() {
        String noStorage = manifest("nostorage", "").replace("  storage: {persistentVolumeClaim: {claimName: x}}\n", "");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> create(noStorage));
        assertEquals(422, e.getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("spec.storage: required"), e.getMessage());
        KubernetesClientException i = assertThrows(KubernetesClientException.class,
                () -> create(manifest("noimage", "trainer: {task: fashion-mnist}")));
        assertEquals(422, i.getCode(), i.getMessage());
        assertTrue(i.getMessage().contains("spec.trainer.image: required"), i.getMessage());
    }

    /** The local mode (ManifestReader) accepts exactly the names the API server accepts. */
    @Test
    void localNameRulesEqualClusterRules() throws Exception {
        for (String name : List.of("a".repeat(40), "b".repeat(41), "c".repeat(63))) {
            String yaml = manifest(name, "");
            boolean local;
            try {
                new io.pbtnas.cli.manifest.ManifestReader().parse(yaml, "test");
                local = true;
            } catch (io.pbtnas.cli.manifest.ManifestException e) {
                local = false;
            }
            boolean cluster;
            try {
                create(yaml);
                cluster = true;
            } catch (KubernetesClientException e) {
                assertEquals(422, e.getCode(), e.getMessage());
                cluster = false;
            }
            assertEquals(cluster, local, name.length() + " characters: cluster accepts " + cluster + ", local " + local);
        }
    }

    /** A quantity that does not parse: the one validator both drivers use names it (locally: exit 2). */
    @Test
    void anUnparsableQuantityIsNamedOnTheClusterAsLocally() {
        String yaml = manifest("gpu-one", "trainer: {image: \"pbtnas/not-run:0\", resources: {limits: {nvidia.com/gpu: one}}}");
        io.pbtnas.cli.manifest.ManifestException local = assertThrows(io.pbtnas.cli.manifest.ManifestException.class,
                () -> new io.pbtnas.cli.manifest.ManifestReader().parse(yaml, "test"));
        String expected = "spec.trainer.resources.limits.nvidia.com/gpu: 'one' is not a Kubernetes quantity";
        assertTrue(String.join(";", local.problems()).contains(expected), local.problems().toString());
        create(yaml);
        PbtNasSearch paused = h.await("gpu-one", s -> s.getStatus() != null && s.getStatus()
                .condition(io.pbtnas.core.status.ConditionType.PAUSED.code()).isPresent(), java.time.Duration.ofSeconds(30));
        String message = paused.getStatus().condition(io.pbtnas.core.status.ConditionType.PAUSED.code()).orElseThrow().message();
        assertTrue(message.contains(expected), message);
        assertTrue(h.memberPods("gpu-one").isEmpty(), "no pod for an invalid spec");
    }

    @Test
    void tooLongNameIsRejected() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> create(manifest("a".repeat(41), "")));
        assertTrue(e.getMessage().contains("at most 40 characters"), e.getMessage());
    }

    @Test
    void populationSearchSpaceAndSeedAreImmutable() {
        // No trainer image the kubelet knows: the search is accepted, its pods never run.
        create(manifest("immutable", ""));
        for (String[] change : new String[][] {
                {"population", "\"population\": 6", "spec.population is immutable"},
                {"seed", "\"seed\": 8", "spec.seed is immutable"},
                {"searchSpace", "\"searchSpace\": {\"genes\": [{\"name\": \"cell0\", \"options\": [\"skip\"]}]}",
                        "spec.searchSpace is immutable"},
                {"epochsPerGeneration", "\"epochsPerGeneration\": 2", "spec.epochsPerGeneration is immutable"},
                {"strategy", "\"strategy\": \"mutation\"", "spec.strategy is immutable"},
                {"objective", "\"objective\": \"minimize\"", "spec.objective is immutable"},
                {"schedule", "\"schedule\": \"asynchronous\"", "spec.schedule is immutable"},
                {"trainer.task", "\"trainer\": {\"task\": \"other\"}", "spec.trainer.task is immutable"},
                {"storage", "\"storage\": {\"persistentVolumeClaim\": {\"claimName\": \"y\"}}",
                        "spec.storage.persistentVolumeClaim is immutable"}}) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> h.client
                    .resources(PbtNasSearch.class).inNamespace(h.namespace).withName("immutable")
                    .patch(MERGE, "{\"spec\": {" + change[1] + "}}"), change[0] + " could be changed");
            assertTrue(e.getMessage().contains(change[2]), e.getMessage());
        }
        // Fields that may change (generations; writing a default out) are accepted.
        h.client.resources(PbtNasSearch.class).inNamespace(h.namespace).withName("immutable")
                .patch(MERGE, "{\"spec\": {\"generations\": 4, \"epochsPerGeneration\": 1, \"strategy\": \"pbt-nas\","
                        + " \"schedule\": \"synchronous\", \"storage\": {\"retention\": \"delete\"}}}");
        assertEquals(4, h.get("immutable").getSpec().generations());
    }

    @Test
    void theBucketIsImmutableAndAClaimCannotBecomeABucket() {
        create(manifest("s3immutable", "storage: {s3: {bucket: team-bucket, prefix: searches}}"));
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> h.client
                .resources(PbtNasSearch.class).inNamespace(h.namespace).withName("s3immutable")
                .patch(MERGE, "{\"spec\": {\"storage\": {\"s3\": {\"prefix\": \"other\"}}}}"));
        assertTrue(e.getMessage().contains("spec.storage.s3 is immutable"), e.getMessage());
        create(manifest("pvc2s3", ""));
        KubernetesClientException s = assertThrows(KubernetesClientException.class, () -> h.client
                .resources(PbtNasSearch.class).inNamespace(h.namespace).withName("pvc2s3")
                .patch(MERGE, "{\"spec\": {\"storage\": {\"persistentVolumeClaim\": null, \"s3\": {\"bucket\": "
                        + "\"team-bucket\"}}}}"));
        assertTrue(s.getMessage().contains("spec.storage.s3 is immutable"), s.getMessage());
    }

    private void create(String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes()),
                GenericKubernetesResource.class);
        r.getMetadata().setNamespace(h.namespace);
        h.client.resource(r).create();
    }

    /** A valid manifest with one top-level spec field replaced (or added) by {@code specPatch}. */
    private static String manifest(String name, String specPatch) {
        String base = """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: %s}
                spec:
                  population: 4
                  generations: 2
                  searchSpace: {genes: [{name: cell0, options: [conv3x3, skip]}]}
                  trainer: {image: "pbtnas/not-run:0"}
                  storage: {persistentVolumeClaim: {claimName: x}}
                """.formatted(name);
        if (specPatch.isEmpty()) {
            return base;
        }
        String key = specPatch.substring(0, specPatch.indexOf(':'));
        return base.replaceFirst("(?m)^  " + key + ":.*\\n", "") + "  " + specPatch + "\n";
    }
}
