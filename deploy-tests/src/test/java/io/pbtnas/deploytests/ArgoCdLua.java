package io.pbtnas.deploytests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * test-env's argocd-lua: an Argo CD health script run by gopher-lua, the interpreter Argo CD runs it with,
 * with the libraries, the {@code obj} table and the reading of the result Argo CD uses.
 */
record ArgoCdLua(Path binary) {
    static final String PROPERTY = "pbtnas.argocdLua";
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Argo CD's verdict: a health status (Healthy, Progressing, Degraded, Suspended, Missing, Unknown) and message. */
    record Verdict(String status, String message) {}

    /** Where test-env/build-argocd-lua.sh puts it: -Dpbtnas.argocdLua, else the cache for the pinned gopher-lua. */
    static Path resolve(Properties props, Map<String, String> env, String gopherLuaVersion) {
        String explicit = props.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String cache = env.get("PBTNAS_CACHE_DIR");
        Path root = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(props.getProperty("user.home"), ".cache", "pbtnas");
        return root.resolve("argocd-lua").resolve("v" + gopherLuaVersion).resolve("argocd-lua");
    }

    /** The runner, or a failure saying which script builds it (never a skip). */
    static ArgoCdLua require() {
        String version = versionsEnv().getProperty("GOPHER_LUA_VERSION");
        if (version == null) {
            throw new IllegalStateException("test-env/versions.env has no GOPHER_LUA_VERSION");
        }
        Path binary = resolve(System.getProperties(), System.getenv(), version);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("No argocd-lua (gopher-lua " + version + ") at " + binary
                    + ": run test-env/build.sh first (it calls test-env/build-argocd-lua.sh, which builds it in"
                    + " seconds with Go), or set -D" + PROPERTY + " to a binary built elsewhere");
        }
        // A runner built from another main.go would test something else: build-argocd-lua.sh records the source's hash.
        String built = read(binary.resolveSibling("source.sha256")).strip();
        String source = sha256(RepoPaths.root().resolve("test-env/argocd-lua/main.go"));
        if (!built.equals(source) && System.getProperty(PROPERTY) == null) {
            throw new IllegalStateException("argocd-lua at " + binary + " was built from another test-env/argocd-lua/main.go:"
                    + " run test-env/build.sh (it calls test-env/build-argocd-lua.sh) to rebuild it");
        }
        return new ArgoCdLua(binary);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Properties versionsEnv() {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(RepoPaths.root().resolve("test-env/versions.env"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    Verdict health(Path script, JsonNode object) {
        try {
            Path input = Files.createTempFile("pbtnas-health-", ".json");
            try {
                Files.writeString(input, JSON.writeValueAsString(object));
                Process p = new ProcessBuilder(List.of(binary.toString(), script.toString(), input.toString()))
                        .redirectErrorStream(false).start();
                byte[] out = p.getInputStream().readAllBytes();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new AssertionError("argocd-lua failed on " + script + ": " + err);
                }
                JsonNode v = JSON.readTree(out);
                return new Verdict(v.path("status").asText(), v.path("message").asText());
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
