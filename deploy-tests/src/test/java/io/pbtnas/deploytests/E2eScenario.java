package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import io.pbtnas.testkit.RealNode;
import io.pbtnas.testkit.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs hack/e2e-scenario.sh — the script a user runs on Kind — against the real node, with nothing
 * in between: helm install, a restricted namespace, the single-node RWX volume, a search to
 * Complete and Exported, `pbtnas eval` of best/ in the trainer image.
 */
final class E2eScenario {
    /** The namespace every on-node search uses: the single-node volume binds to one claim, in one namespace. */
    static final String NAMESPACE = "pbtnas-e2e";
    static final String OPERATOR_NAMESPACE = "pbtnas-system";
    /** examples/storage/single-node-rwx.yaml's hostPath; the node is this machine. */
    static final Path HOST_DIR = Path.of("/var/local/pbtnas");
    private static final Pattern OK = Pattern.compile(
            "^e2e: ok search=(\\S+)/(\\S+) best=(\\S+) eval=(\\S+) seconds=(\\d+)$", Pattern.MULTILINE);

    record Result(int exitCode, String stdout, String stderr, Matcher ok) {
        boolean succeeded() {
            return exitCode == 0 && ok != null;
        }

        double bestScore() {
            return Double.parseDouble(ok.group(3));
        }

        double evalScore() {
            return Double.parseDouble(ok.group(4));
        }

        int seconds() {
            return Integer.parseInt(ok.group(5));
        }

        String describe() {
            String err = stderr.length() > 6000 ? "…" + stderr.substring(stderr.length() - 6000) : stderr;
            return "hack/e2e-scenario.sh exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr (tail):\n" + err;
        }
    }

    private E2eScenario() {}

    /** Runs the scenario for {@code search} (a file under the repository) and keeps what it made. */
    static Result run(RealNode node, String search, int timeoutMinutes) {
        return script(node, timeoutMinutes, "--search", search, "--timeout", timeoutMinutes + "m", "--keep");
    }

    /** The scenario's first steps only, for a test that runs its own search: operator, namespace, volume. */
    static void setUp(RealNode node) {
        Result r = script(node, 10, "--setup-only");
        if (r.exitCode() != 0 || !r.stdout().contains("e2e: setup ok")) {
            throw new AssertionError("the operator, namespace or volume could not be set up:\n" + r.describe());
        }
    }

    private static Result script(RealNode node, int timeoutMinutes, String... args) {
        prepareHostDir();
        List<String> command = new ArrayList<>(List.of("bash", "hack/e2e-scenario.sh", "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        Processes.Result r = Processes.run(command, Map.of("KUBECONFIG", node.kubeconfig().toString(),
                "KUBECTL", kubectl().toString()), Duration.ofMinutes(timeoutMinutes + 5L));
        Matcher m = OK.matcher(r.stdout());
        return new Result(r.exitCode(), r.stdout(), r.stderr(), m.find() ? m : null);
    }

    /** The kubectl test-env/build.sh built for the pinned Kubernetes version. */
    static Path kubectl() {
        return TestEnvironment.resolve().requireBinaries().binaryDir().resolve("kubectl");
    }

    /**
     * What a user does once per node (the example's header says so): the hostPath directory, owned
     * by the uid every pbtnas image runs as (helm/pbtnas/values.yaml's trainerPods.runAsUser).
     */
    static void prepareHostDir() {
        try {
            Files.createDirectories(HOST_DIR);
            String uid = Integer.toString(imageUid());
            Process chown = new ProcessBuilder("chown", uid + ":" + uid, HOST_DIR.toString()).inheritIO().start();
            if (chown.waitFor() != 0) {
                throw new IllegalStateException("chown " + uid + " " + HOST_DIR + " failed (the on-node tests run as root)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + HOST_DIR + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int imageUid() {
        JsonNode values = Manifests.parse(ServerSideApply.read(RepoPaths.chart().resolve("values.yaml"))).get(0);
        return values.path("trainerPods").path("runAsUser").asInt();
    }
}
