package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;

import io.pbtnas.core.validation.SpecValidator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * spec.trainer's pod settings on the real API server: the CRD carries Kubernetes' own schemas for
 * affinity and volumes (so they are validated and not pruned), CEL refuses an envValueFrom with two
 * sources, and what only SpecValidator knows (pbtnas's own labels) pauses the search naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodSettingsValidationTest {
    private Harness h;

    @BeforeAll
    void start() throws Exception {
        h = new Harness("podsettings");
    }

    @AfterAll
    void stop() {
        h.close();
    }

    @Test
    void affinityAndVolumesAreKeptAsWritten() {
        create(manifest("kept", """
                    labels: {team: vision}
                    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: gpu, operator: In, values: [h100]}]}]}}}
                    volumes: [{name: dshm, emptyDir: {medium: Memory, sizeLimit: 1Gi}}]
                    volumeMounts: [{name: dshm, mountPath: /dev/shm}]
                    envValueFrom: [{name: KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}]
                """));
        var trainer = h.get("kept").getSpec().trainer();
        assertEquals(Map.of("medium", "Memory", "sizeLimit", "1Gi"), trainer.volumes().get(0).get("emptyDir"));
        assertTrue(trainer.affinity().toString().contains("h100"), trainer.affinity().toString());
        assertEquals("KEY", trainer.envValueFrom().get(0).name());
    }

    @Test
    void theSchemaAndCelRefuseMalformedSettings() {
        for (String[] bad : new String[][] {
                {"two-sources", "    envValueFrom: [{name: K, valueFrom: {secretKeyRef: {name: s, key: k}, "
                        + "configMapKeyRef: {name: c, key: k}}}]\n", "give exactly one of secretKeyRef and configMapKeyRef"},
                {"no-key", "    envValueFrom: [{name: K, valueFrom: {secretKeyRef: {name: s}}}]\n", "key"},
                {"volume-type", "    volumes: [{name: v, emptyDir: {medium: Memory, sizeLimit: [1]}}]\n", "sizeLimit"},
                {"affinity-type", "    affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                        + "{nodeSelectorTerms: oops}}}\n", "nodeSelectorTerms"},
                {"mount-path", "    volumeMounts: [{name: v}]\n", "mountPath"}}) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> create(manifest(bad[0], bad[1])), bad[0] + " was accepted");
            assertEquals(422, e.getCode(), bad[0] + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(bad[2]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void anOwnLabelPausesTheSearchNamingTheFieldAndStartsNoPod() {
        // Not suspended: had the operator not paused it, it would have created pods.
        create(manifest("own-label", "    labels: {pbtnas.io/member: \"7\"}\n").replace("  suspend: true\n", ""));
        PbtNasSearch paused = h.await("own-label", s -> s.getStatus() != null
                && s.getStatus().condition(ConditionType.PAUSED.code()).isPresent(), Duration.ofSeconds(30));
        String message = paused.getStatus().condition(ConditionType.PAUSED.code()).orElseThrow().message();
        assertTrue(message.contains("spec.trainer.labels.pbtnas.io/member: keys under pbtnas.io/"), message);
        assertTrue(h.memberPods("own-label").isEmpty(), "no pod for an invalid spec");
    }

    private void create(String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes()),
                GenericKubernetesResource.class);
        r.getMetadata().setNamespace(h.namespace);
        h.client.resource(r).create();
    }

    /** A valid manifest whose trainer gets {@code trainerLines} (indented four spaces). No pod of it can run. */
    private static String manifest(String name, String trainerLines) {
        return """
                apiVersion: pbtnas.io/v1alpha1
                kind: PbtNasSearch
                metadata: {name: %s}
                spec:
                  population: 2
                  generations: 1
                  strategy: random
                  suspend: true
                  searchSpace: {genes: [{name: cell0, options: [conv3x3, skip]}]}
                  trainer:
                    image: "pbtnas/not-run:0"
                %s  storage: {persistentVolumeClaim: {claimName: x}}
                """.formatted(name, trainerLines.indent(0));
    }
}
