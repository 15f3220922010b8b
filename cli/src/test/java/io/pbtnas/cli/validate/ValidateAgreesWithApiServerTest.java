package io.pbtnas.cli.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pbtnas.testkit.TestApiServer;
import io.pbtnas.testkit.TestEnvironment;
import io.pbtnas.testkit.TestNamespace;
import io.pbtnas.testkit.ValidationCase;
import io.pbtnas.testkit.ValidationCases;
import io.pbtnas.testkit.WithKubeApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the real API server with the committed CRD: for every case of the shared table, `kubectl apply
 * --dry-run=server` refuses exactly the cases that pbtnas validate refuses by the schema or CEL (the
 * cluster's own layers), naming the case's field, and accepts the others: the valid ones and those only
 * the operator's rules refuse (the admission webhook's, tested with it by the operator's agreement test).
 * Where both refuse, every field path pbtnas validate names is in the API server's refusal too.
 */
@WithKubeApiServer
class ValidateAgreesWithApiServerTest {
    private static final Path CRD = Path.of("..", "crds", "pbtnas.io_pbtnassearches.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    private record Run(int code, String output) {
    }

    @Test
    void theApiServerRefusesWhatTheSchemaAndCelLayersRefuse(TestApiServer server, TestNamespace ns)
            throws IOException, InterruptedException {
        Path kubeconfig = server.writeKubeConfig(dir.resolve("kubeconfig"));
        Path kubectl = TestEnvironment.resolve().requireBinaries().binaryDir().resolve("kubectl");
        Run crd = run(kubectl, kubeconfig, "apply", "--server-side", "--force-conflicts", "-f", CRD.toString());
        assertEquals(0, crd.code(), crd.output());
        Run established = run(kubectl, kubeconfig, "wait", "--for=condition=Established", "--timeout=60s",
                "crd/pbtnassearches.pbtnas.io");
        assertEquals(0, established.code(), established.output());

        SearchValidator validator = SearchValidator.packaged();
        List<String> disagreements = new ArrayList<>();
        int refusedByServer = 0;
        for (ValidationCase c : ValidationCases.all()) {
            Path file = Files.writeString(dir.resolve(c.name() + ".yaml"), c.manifest());
            JsonNode old = null;
            if (c.old().isPresent()) {
                Path oldFile = Files.writeString(dir.resolve(c.name() + ".old.yaml"), c.old().get());
                Run created = run(kubectl, kubeconfig, "apply", "-n", ns.name(), "-f", oldFile.toString());
                assertEquals(0, created.code(), c + ": the object before the edit is created: " + created.output());
                old = YAML.readTree(c.old().get());
            }
            SearchValidator.Findings ours = validator.check(YAML.readTree(c.manifest()), old);
            Run theirs = run(kubectl, kubeconfig, "apply", "--dry-run=server", "-n", ns.name(), "-f", file.toString());
            boolean refused = theirs.code() != 0;
            if (refused) {
                refusedByServer++;
            }
            if (refused != ours.layer().apiServer()) {
                disagreements.add(c + ": the API server " + (refused ? "refused" : "accepted") + " it, pbtnas validate's "
                        + ours.layer() + " layer found " + ours.problems() + "\n    kubectl: " + theirs.output().strip());
            } else if (refused && !theirs.output().contains(c.field())) {
                disagreements.add(c + ": the API server's refusal does not name " + c.field() + ": " + theirs.output().strip());
            } else if (refused) {
                // Our field paths are the API server's: each problem's path appears in its refusal.
                for (Problem p : ours.problems()) {
                    if (!p.path().isEmpty() && !theirs.output().contains(p.path())) {
                        disagreements.add(c + ": pbtnas validate names " + p.path() + ", the API server does not: "
                                + theirs.output().strip());
                    }
                }
            }
        }
        assertEquals(List.of(), disagreements, String.join("\n", disagreements));
        assertTrue(refusedByServer >= 25, "the table exercises the API server's layers: " + refusedByServer);
    }

    private static Run run(Path kubectl, Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }
}
