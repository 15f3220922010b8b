package io.pbtnas.deploytests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.ValidationCase;
import io.pbtnas.testkit.ValidationCases;
import io.pbtnas.testkit.WithRealNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart installed as a user installs it (hack/e2e-scenario.sh), its webhook reached by the node's
 * API server through the Service (kube-proxy) with the chart's own certificate: `kubectl apply` of
 * every invalid case of the shared table is refused, naming the case's field; every valid case passes
 * `--dry-run=server`; and an invalid edit of an existing search is refused too.
 */
@WithRealNode
class AdmissionOnNodeTest {
    /** Manifests the webhook alone refuses (the CRD admits them), for the edit test. */
    static final String QUANTITY_CASE = "43-memory-not-a-quantity";

    @Test
    void everyInvalidCaseIsRefusedAtAdmissionNamingItsField(RealNode node) throws Exception {
        E2eScenario.setUp(node);
        Path dir = Files.createTempDirectory("pbtnas-admission-node-");
        awaitWebhook(node, dir);
        List<String> wrong = new ArrayList<>();
        List<String> created = new ArrayList<>();
        try {
            for (ValidationCase c : ValidationCases.all()) {
                if (c.old().isPresent()) {
                    Path old = write(dir, c.name() + ".old", suspended(c.old().get()));
                    Processes.Result made = kubectl(node, "apply", "-f", old.toString());
                    assertEquals(0, made.exitCode(), c.name() + ": the old object must be created: " + made.describe());
                    created.add(name(c.old().get()));
                }
                Path file = write(dir, c.name(), c.manifest());
                Processes.Result r = c.valid() ? kubectl(node, "apply", "--dry-run=server", "-f", file.toString())
                        : kubectl(node, "apply", "-f", file.toString());
                String out = r.stdout() + r.stderr();
                if (c.valid() && r.exitCode() != 0) {
                    wrong.add(c.name() + " (valid) was refused: " + out);
                } else if (!c.valid() && r.exitCode() == 0) {
                    wrong.add(c.name() + " (invalid, " + c.field() + ": " + c.why() + ") was accepted: " + out);
                    if (c.old().isEmpty()) {
                        created.add(name(c.manifest()));
                    }
                } else if (!c.valid() && !out.contains(c.field())) {
                    wrong.add(c.name() + " was refused without naming " + c.field() + ": " + out);
                }
            }
            assertEquals(List.of(), wrong, String.join("\n", wrong));
        } finally {
            delete(node, created);
        }
    }

    /** A valid search is created; editing its spec into one only the webhook refuses is refused. */
    @Test
    void anInvalidEditOfAnExistingSearchIsRefused(RealNode node) throws Exception {
        E2eScenario.setUp(node);
        Path dir = Files.createTempDirectory("pbtnas-admission-edit-");
        awaitWebhook(node, dir);
        ValidationCase bad = ValidationCases.all().stream().filter(c -> c.name().equals(QUANTITY_CASE))
                .findFirst().orElseThrow();
        JsonNode invalid = Manifests.parse(bad.manifest()).get(0).deepCopy();
        ObjectNode valid = invalid.deepCopy();
        ((ObjectNode) valid.path("spec").path("trainer")).remove("resources");
        ((ObjectNode) valid.path("metadata")).put("name", "admission-edit");
        ((ObjectNode) invalid.path("metadata")).put("name", "admission-edit");
        String name = "admission-edit";
        try {
            Processes.Result made = kubectl(node, "apply", "-f",
                    write(dir, "valid", suspended(Manifests.YAML.writeValueAsString(valid))).toString());
            assertEquals(0, made.exitCode(), made.describe());
            ((ObjectNode) invalid.path("spec")).put("suspend", true);
            Processes.Result edit = kubectl(node, "apply", "-f",
                    write(dir, "invalid", Manifests.YAML.writeValueAsString(invalid)).toString());
            String out = edit.stdout() + edit.stderr();
            assertTrue(edit.exitCode() != 0, "the edit was accepted: " + out);
            assertTrue(out.contains(bad.field()), "the refusal must name " + bad.field() + ": " + out);
            // A metadata-only edit of the same search passes.
            Processes.Result label = kubectl(node, "label", "pbtnassearch", name, "team=a", "--overwrite");
            assertEquals(0, label.exitCode(), label.describe());
        } finally {
            delete(node, List.of(name));
        }
    }

    /**
     * helm's --wait saw the operator Ready; the Service's endpoints follow a moment later. Wait until a
     * manifest only the webhook refuses is refused, so no case below meets a webhook not yet reachable.
     */
    private static void awaitWebhook(RealNode node, Path dir) throws Exception {
        ValidationCase probe = ValidationCases.all().stream().filter(c -> c.name().equals(QUANTITY_CASE))
                .findFirst().orElseThrow();
        Path file = write(dir, "probe", probe.manifest().replace("name: case-" + QUANTITY_CASE, "name: webhook-probe"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Processes.Result r;
        do {
            r = kubectl(node, "apply", "--dry-run=server", "-f", file.toString());
            if (r.exitCode() != 0 && (r.stdout() + r.stderr()).contains(probe.field())) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the webhook never refused " + QUANTITY_CASE + " through its Service: " + r.describe());
    }

    /** The object before an edit, suspended: it exists for real, but starts no pod on the node. */
    private static String suspended(String yaml) throws Exception {
        JsonNode doc = Manifests.parse(yaml).get(0).deepCopy();
        ((ObjectNode) doc.path("spec")).put("suspend", true);
        return Manifests.YAML.writeValueAsString(doc);
    }

    private static String name(String yaml) {
        return Manifests.parse(yaml).get(0).path("metadata").path("name").asText();
    }

    private static void delete(RealNode node, List<String> names) {
        if (!names.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("delete", "pbtnassearch", "--ignore-not-found", "--wait=true",
                    "--timeout=120s"));
            args.addAll(names);
            kubectl(node, args.toArray(String[]::new));
        }
    }

    private static Path write(Path dir, String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    private static Processes.Result kubectl(RealNode node, String... args) {
        List<String> command = new ArrayList<>(List.of(E2eScenario.kubectl().toString(), "-n", E2eScenario.NAMESPACE));
        command.addAll(List.of(args));
        return Processes.run(command, Map.of("KUBECONFIG", node.kubeconfig().toString()), Duration.ofMinutes(3));
    }
}
