package io.pbtnas.deploytests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;

/** Runs the real helm binary (installed by scripts/install-helm.sh) and captures what it says. */
final class Helm {
    private final Path binary;

    private Helm(Path binary) {
        this.binary = binary;
    }

    /** The cached helm first (what scripts/setup.sh installs), then PATH. */
    static Helm locate() {
        String cache = System.getenv("PBTNAS_CACHE_DIR");
        Path cacheRoot = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "pbtnas");
        List<Path> candidates = new ArrayList<>();
        candidates.add(cacheRoot.resolve("bin/helm"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "helm"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Helm::new)
                .orElseThrow(() -> new IllegalStateException(
                        "helm not found in " + cacheRoot.resolve("bin") + " nor on PATH: run scripts/install-helm.sh"));
    }

    Processes.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        // helm must not read or write a user's kubeconfig or repositories from a test.
        Path home = Path.of(System.getProperty("user.dir"), "target", "helm-home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + home + ": " + e.getMessage(), e);
        }
        return Processes.run(command, Map.of(
                "HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(),
                "HELM_DATA_HOME", home.resolve("data").toString(),
                "KUBECONFIG", home.resolve("no-kubeconfig").toString()), Duration.ofSeconds(120));
    }

    /** `helm template` that must succeed; the rendered multi-document YAML. */
    String template(String release, String namespace, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", release, RepoPaths.chart().toString(),
                "--namespace", namespace, "--include-crds"));
        args.addAll(List.of(extraArgs));
        Processes.Result r = run(args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("helm " + String.join(" ", args) + " failed: " + r.describe());
        }
        return r.stdout();
    }
}
