package io.pbtnas.deploytests;

import io.pbtnas.testkit.PodRecorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.WithRealNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Least privilege and platform settings on the real node, with the operator the chart installed (so
 * under the chart's RBAC): a trainer pod has no service-account token, receives a variable from a
 * Secret by reference (spec.trainer.envValueFrom), and mounts the extra in-memory volume it asked for.
 * The trainer itself checks what it sees and exits 2 with the reason when something is wrong.
 */
@WithRealNode
class LeastPrivilegeOnNodeTest {
    static final String NAME = "least-privilege";
    static final String SECRET = "trainer-secret";
    static final String VARIABLE = "PBTNAS_TEST_SECRET";
    static final String TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    @Test
    void aTrainerPodHasNoApiTokenAndGetsItsSecretByReference(RealNode node) throws Exception {
        E2eScenario.setUp(node);
        String value = "value-" + UUID.randomUUID();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(StandardCharsets.UTF_8)));
        try (KubernetesClient c = node.newClient(E2eScenario.NAMESPACE);
             // Finished member pods are deleted once recorded: read them as they were seen.
             PodRecorder recorded = PodRecorder.ofSearch(c, E2eScenario.NAMESPACE, NAME)) {
            c.secrets().resource(new SecretBuilder().withNewMetadata().withName(SECRET).endMetadata()
                    .addToStringData("token", value).build()).forceConflicts().serverSideApply();

            JsonNode manifest = Manifests.parse(ServerSideApply.read(RepoPaths.examples().resolve("cpu-smoke.yaml")))
                    .get(0).deepCopy();
            ((ObjectNode) manifest.path("metadata")).put("name", NAME);
            ObjectNode spec = (ObjectNode) manifest.path("spec");
            spec.put("strategy", "random").put("population", 2).put("generations", 1).put("parallelism", 2);
            spec.remove(List.of("selection", "mixing"));
            ObjectNode trainer = (ObjectNode) spec.path("trainer");
            // Checks first (the reason goes to the termination message), then the image's own entrypoint.
            String checks = "if [ -e " + TOKEN_DIR + " ]; then echo 'a service-account token is mounted' >&2; exit 2; fi; "
                    + "if [ \"$(printf %s \"$" + VARIABLE + "\" | sha256sum | cut -d' ' -f1)\" != " + sha256 + " ]; then "
                    + "echo '" + VARIABLE + " does not hold the Secret value' >&2; exit 2; fi; "
                    + "shm=$(df -k /dev/shm | awk 'NR==2 {print $2}'); if [ \"$shm\" -lt 200000 ]; then "
                    + "echo \"/dev/shm has $shm KiB, not the 256Mi emptyDir\" >&2; exit 2; fi; "
                    + "exec pbtnas-with-allocator pbtnas-java -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                    + "io.pbtnas.trainer.TrainerMain";
            trainer.putArray("command").add("sh").add("-c").add(checks);
            trainer.set("envValueFrom", Manifests.YAML.readTree("[{name: " + VARIABLE + ", valueFrom: {secretKeyRef: "
                    + "{name: " + SECRET + ", key: token}}}]"));
            trainer.set("labels", Manifests.YAML.readTree("{team: vision}"));
            trainer.set("volumes", Manifests.YAML.readTree("[{name: dshm, emptyDir: {medium: Memory, sizeLimit: 256Mi}}]"));
            trainer.set("volumeMounts", Manifests.YAML.readTree("[{name: dshm, mountPath: /dev/shm}]"));

            c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(NAME).delete();
            SearchOnNodeTest.waitFor(Duration.ofMinutes(1),
                    () -> c.genericKubernetesResources(SearchOnNodeTest.API, "PbtNasSearch").withName(NAME).get() == null,
                    "the previous run's search to go");
            ServerSideApply.apply(c, manifest);
            SearchOnNodeTest.waitFor(Duration.ofMinutes(10),
                    () -> Set.of("Complete", "Failed").contains(SearchOnNodeTest.status(c, NAME).path("phase").asText()),
                    "the search to end");
            JsonNode status = SearchOnNodeTest.status(c, NAME);
            assertEquals("Complete", status.path("phase").asText(), status::toPrettyString);

            List<Pod> members = recorded.withRole("member");
            assertEquals(2, members.size(), members.toString());
            for (Pod p : members) {
                String pod = p.getMetadata().getName();
                assertEquals(Boolean.FALSE, p.getSpec().getAutomountServiceAccountToken(), pod);
                assertTrue(p.getSpec().getVolumes().stream().noneMatch(v -> v.getName().startsWith("kube-api-access")),
                        pod + " has a token volume: " + p.getSpec().getVolumes());
                assertEquals("vision", p.getMetadata().getLabels().get("team"), pod);
                EnvVar secret = p.getSpec().getInitContainers().stream().filter(i -> i.getName().equals("trainer"))
                        .findFirst().orElseThrow().getEnv().stream().filter(e -> e.getName().equals(VARIABLE))
                        .findFirst().orElseThrow();
                assertEquals(SECRET, secret.getValueFrom().getSecretKeyRef().getName(), pod);
            }
            // The control: where the API server is not told otherwise it does mount a token (the operator's pod).
            List<Pod> operator = c.pods().inNamespace(E2eScenario.OPERATOR_NAMESPACE).list().getItems();
            assertFalse(operator.isEmpty(), "no operator pod in " + E2eScenario.OPERATOR_NAMESPACE);
            assertTrue(operator.stream().allMatch(p -> p.getSpec().getVolumes().stream()
                    .anyMatch(v -> v.getName().startsWith("kube-api-access"))),
                    "the operator pod should carry the injected token volume; without it this test proves nothing");
            // The value itself is nowhere in the search.
            String stored = Manifests.YAML.writeValueAsString(c.genericKubernetesResources(SearchOnNodeTest.API,
                    "PbtNasSearch").withName(NAME).get());
            assertFalse(stored.contains(value), "the Secret's value is in the search");
        }
    }
}
