package io.pbtnas.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the control-plane binaries built by test-env/build.sh are, and which version to ask
 * kube-api-test for. The directory is resolved like the script resolves it: system property
 * {@code pbtnas.kubeApiTestDir}, else env {@code KUBE_API_TEST_DIR}, else
 * {@code ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/kube-api-test}.
 */
public record TestEnvironment(VersionPins versions, Path kubeApiTestDir) {

  public static final String DIR_PROPERTY = "pbtnas.kubeApiTestDir";
  static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kubectl");

  public static TestEnvironment resolve() {
    return new TestEnvironment(VersionPins.packaged(),
        resolveDir(System.getProperties(), System.getenv()));
  }

  /** Pure resolution of the kube-api-test directory, as test-env/build.sh does it. */
  static Path resolveDir(Properties props, Map<String, String> env) {
    String explicit = props.getProperty(DIR_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String fromEnv = env.get("KUBE_API_TEST_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    String cache = env.get("PBTNAS_CACHE_DIR");
    Path cacheRoot = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(props.getProperty("user.home"), ".cache", "pbtnas");
    return cacheRoot.resolve("kube-api-test");
  }

  /** kube-api-test's layout: {@code <dir>/k8s/<version>-linux-<arch>}. */
  public Path binaryDir() {
    String arch = switch (System.getProperty("os.arch")) {
      case "aarch64" -> "arm64";
      case "ppc64" -> "ppc64le";
      default -> "amd64";
    };
    return kubeApiTestDir.resolve("k8s").resolve(versions.kubernetesVersion() + "-linux-" + arch);
  }

  /** Fails with what to do when test-env/build.sh has not laid the binaries out yet. */
  public TestEnvironment requireBinaries() {
    for (String name : BINARIES) {
      Path binary = binaryDir().resolve(name);
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException("No " + name + " for Kubernetes " + versions.kubernetesVersion()
            + " at " + binary + ": run test-env/build.sh first (it builds etcd, kube-apiserver and kubectl"
            + " from source and lays them out there; set -D" + DIR_PROPERTY
            + " or KUBE_API_TEST_DIR if you built them elsewhere)");
      }
    }
    return this;
  }
}
