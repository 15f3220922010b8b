package io.pbtnas.testkit.node;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What test-env/node.sh prints about the node it brought up: its name, its IP and the admin kubeconfig. */
public record NodeEnv(String nodeName, String nodeIp, Path kubeconfig) {

  /** Parses node.sh's {@code KEY=VALUE} lines (NODE_NAME, NODE_IP, KUBECONFIG); other lines are ignored. */
  public static NodeEnv parse(String stdout) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : stdout.split("\\R")) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
        values.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return new NodeEnv(require(values, "NODE_NAME", stdout), require(values, "NODE_IP", stdout),
        Path.of(require(values, "KUBECONFIG", stdout)));
  }

  private static String require(Map<String, String> values, String key, String stdout) {
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("test-env/node.sh printed no " + key + "=... line (it prints NODE_NAME, NODE_IP"
          + " and KUBECONFIG when the node is up); it printed:\n" + stdout);
    }
    return v;
  }
}
