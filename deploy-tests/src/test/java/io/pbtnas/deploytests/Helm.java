package io.pbtnas.deploytests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real helm binary (installed by scripts/install-helm.sh) and captures what it says. */
final class Helm {
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

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

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("helm-out", ".txt");
            Path err = Files.createTempFile("helm-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).directory(RepoPaths.root().toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                // helm must not read or write a user's kubeconfig or repositories from a test.
                Path home = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "helm-home"));
                pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
                pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
                pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
                pb.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
                Process p = pb.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("helm " + String.join(" ", args) + " did not finish in 120 s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running helm", e);
        }
    }

    /** `helm template` that must succeed; the rendered multi-document YAML. */
    String template(String release, String namespace, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", release, RepoPaths.chart().toString(),
                "--namespace", namespace, "--include-crds"));
        args.addAll(List.of(extraArgs));
        Result r = run(args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("helm " + String.join(" ", args) + " failed: " + r.describe());
        }
        return r.stdout();
    }
}
