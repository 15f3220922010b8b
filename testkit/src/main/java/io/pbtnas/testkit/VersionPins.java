package io.pbtnas.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The control-plane versions pinned in test-env/versions.env (the file test-env/build.sh builds from). */
public record VersionPins(String kubernetesVersion, String etcdVersion) {

  static final String RESOURCE = "/io/pbtnas/testkit/versions.env";

  public VersionPins {
    requireVersion("KUBERNETES_VERSION", kubernetesVersion);
    requireVersion("ETCD_VERSION", etcdVersion);
  }

  /** The pins packaged into this jar from test-env/versions.env at build time. */
  public static VersionPins packaged() {
    return parse(packagedText());
  }

  /** One pin of the packaged versions.env (e.g. VERSITYGW_VERSION), checked like the others. */
  public static String packaged(String key) {
    String value = values(packagedText()).get(key);
    requireVersion(key, value);
    return value;
  }

  private static String packagedText() {
    try (InputStream in = VersionPins.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + RESOURCE
            + " is missing: pbtnas-testkit must be built with test-env/versions.env next to it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** Parses shell-style KEY=VALUE lines; '#' starts a comment line. */
  public static VersionPins parse(String text) {
    Map<String, String> values = values(text);
    return new VersionPins(values.get("KUBERNETES_VERSION"), values.get("ETCD_VERSION"));
  }

  static Map<String, String> values(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("versions.env: expected KEY=VALUE, got '" + line + "'");
      }
      values.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
    }
    return values;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  private static void requireVersion(String key, String value) {
    if (value == null || !value.matches("\\d+\\.\\d+\\.\\d+")) {
      throw new IllegalArgumentException("versions.env: " + key + " must be a release like 1.36.3 without a"
          + " leading 'v', got " + (value == null ? "nothing" : "'" + value + "'"));
    }
  }
}
