package io.pbtnas.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;

/** The namespace a test owns, and a client whose default namespace it is. */
public record TestNamespace(String name, KubernetesClient client) {

  /** A DNS-1123 label from a test's name plus a random suffix, so reruns never collide. */
  static String nameFor(String testName, String randomSuffix) {
    String base = testName.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    int room = 63 - 3 - randomSuffix.length() - 1;
    if (base.length() > room) {
      base = base.substring(0, room).replaceAll("-+$", "");
    }
    return "t-" + (base.isEmpty() ? "test" : base) + "-" + randomSuffix;
  }
}
