package io.pbtnas.testkit.kueue;

import java.nio.file.Path;
import java.util.List;

/**
 * How the tests run Kueue's controller manager, and the one place its Configuration is written.
 *
 * <ul>
 *   <li>pod integration (plain pods, what pbtnas creates) and batch/job (a higher-priority Job preempts);
 *   <li>only namespaces labelled {@link #MANAGED_LABEL}={@link #MANAGED_VALUE} are managed
 *       ({@code managedJobsNamespaceSelector}), so other tests on the same API server are untouched;
 *   <li>internal certificate management off: the webhooks are served with {@link io.pbtnas.testkit.TestCertificates}
 *       and registered by URL (there is no Service to point at);
 *   <li>no leader election (one replica), metrics off, VisibilityOnDemand off (it needs an APIService
 *       backed by a Service).
 * </ul>
 */
public record KueueSettings(String namespace, int webhookPort, int healthPort, Path certDir) {

  public static final String MANAGED_LABEL = "pbtnas.io/kueue-test";
  public static final String MANAGED_VALUE = "managed";
  /** The frameworks enabled; only their webhooks (and those of Kueue's own kinds) are registered. */
  public static final List<String> FRAMEWORKS = List.of("pod", "batch/job");

  public String configurationYaml() {
    return """
        apiVersion: config.kueue.x-k8s.io/v1beta2
        kind: Configuration
        namespace: %s
        health:
          healthProbeBindAddress: 127.0.0.1:%d
        metrics:
          bindAddress: "0"
        webhook:
          host: 127.0.0.1
          port: %d
          certDir: %s
        leaderElection:
          leaderElect: false
        internalCertManagement:
          enable: false
        manageJobsWithoutQueueName: false
        managedJobsNamespaceSelector:
          matchLabels:
            %s: %s
        integrations:
          frameworks: [%s]
        featureGates:
          VisibilityOnDemand: false
        """.formatted(namespace, healthPort, webhookPort, certDir.toAbsolutePath(), MANAGED_LABEL, MANAGED_VALUE,
        String.join(", ", FRAMEWORKS.stream().map(f -> "\"" + f + "\"").toList()));
  }

  public String webhookUrl(String path) {
    return "https://127.0.0.1:" + webhookPort + path;
  }
}
