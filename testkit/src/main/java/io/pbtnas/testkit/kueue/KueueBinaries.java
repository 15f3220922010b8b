package io.pbtnas.testkit.kueue;

import io.pbtnas.testkit.VersionPins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What test-env/build-kueue.sh leaves in its cache: Kueue's controller manager, and from the same
 * module its CRDs and webhook configurations. Resolved as the script does:
 * {@code ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/kueue/v<KUEUE_VERSION>}, or system property
 * {@code pbtnas.kueueDir}.
 */
public record KueueBinaries(String version, Path dir) {

  public static final String DIR_PROPERTY = "pbtnas.kueueDir";

  public static KueueBinaries resolve() {
    String version = VersionPins.packaged("KUEUE_VERSION");
    return new KueueBinaries(version, resolveDir(version, System.getProperties(), System.getenv()));
  }

  static Path resolveDir(String version, Properties props, Map<String, String> env) {
    String explicit = props.getProperty(DIR_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String cache = env.get("PBTNAS_CACHE_DIR");
    Path cacheRoot = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(props.getProperty("user.home"), ".cache", "pbtnas");
    return cacheRoot.resolve("kueue").resolve("v" + version);
  }

  public Path manager() {
    return dir.resolve("kueue");
  }

  public Path webhookManifests() {
    return dir.resolve("webhook").resolve("manifests.yaml");
  }

  public List<Path> crds() {
    try (Stream<Path> files = Files.list(dir.resolve("crds"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list Kueue's CRDs in " + dir.resolve("crds"), e);
    }
  }

  /** Fails with what to do when test-env/build-kueue.sh has not run. */
  public KueueBinaries requireBuilt() {
    if (!Files.isExecutable(manager()) || !Files.isRegularFile(webhookManifests()) || !Files.isDirectory(dir.resolve("crds"))) {
      throw new IllegalStateException("No Kueue " + version + " at " + dir + ": run test-env/build-kueue.sh first (it builds"
          + " sigs.k8s.io/kueue/cmd/kueue from its Go module and copies the module's CRDs and webhook manifests there;"
          + " set -D" + DIR_PROPERTY + " if you built it elsewhere)");
    }
    return this;
  }
}
