package io.pbtnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestEnvironmentTest {

  @Test
  void packagedPinsAreTheOnesInTestEnvVersionsEnv() throws Exception {
    VersionPins fromFile = VersionPins.parse(java.nio.file.Files.readString(
        Path.of(System.getProperty("user.dir")).resolveSibling("test-env").resolve("versions.env")));
    assertEquals(fromFile, VersionPins.packaged());
  }

  @Test
  void parseRejectsAVersionWithALeadingV() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VersionPins.parse("KUBERNETES_VERSION=v1.36.3\nETCD_VERSION=3.6.8\n"));
    assertTrue(e.getMessage().contains("KUBERNETES_VERSION"), e.getMessage());
  }

  @Test
  void dirResolvesPropertyThenEnvThenCacheDefault() {
    Properties props = new Properties();
    props.setProperty("user.home", "/home/u");
    assertEquals(Path.of("/home/u/.cache/pbtnas/kube-api-test"), TestEnvironment.resolveDir(props, Map.of()));
    assertEquals(Path.of("/c/kube-api-test"), TestEnvironment.resolveDir(props, Map.of("PBTNAS_CACHE_DIR", "/c")));
    assertEquals(Path.of("/k"), TestEnvironment.resolveDir(props,
        Map.of("PBTNAS_CACHE_DIR", "/c", "KUBE_API_TEST_DIR", "/k")));
    props.setProperty(TestEnvironment.DIR_PROPERTY, "/p");
    assertEquals(Path.of("/p"), TestEnvironment.resolveDir(props, Map.of("KUBE_API_TEST_DIR", "/k")));
  }

  @Test
  void missingBinariesSayToRunTheBuildScript(@TempDir Path empty) {
    TestEnvironment env = new TestEnvironment(new VersionPins("1.36.3", "3.6.8"), empty);
    IllegalStateException e = assertThrows(IllegalStateException.class, env::requireBinaries);
    assertTrue(e.getMessage().contains("run test-env/build.sh first"), e.getMessage());
    assertTrue(e.getMessage().contains(empty.resolve("k8s/1.36.3-linux-").toString()), e.getMessage());
  }

  @Test
  void namespaceNamesAreValidDnsLabels() {
    String name = TestNamespace.nameFor("aVeryLongTestMethodName_withUnderscores_andMoreWordsThanFitInALabel", "ab12c");
    assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, name);
    assertTrue(name.endsWith("-ab12c"), name);
  }
}
