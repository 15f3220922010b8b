package io.pbtnas.testkit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real etcd + kube-apiserver (binaries from test-env/build.sh) started through kube-api-test
 * in offline mode. It never touches ~/.kube/config: clients are built from {@link #kubeConfigYaml()}.
 *
 * <p>Most tests want {@link #shared()}: one server per JVM, started on first use and stopped by a
 * shutdown hook; tests stay independent by using a namespace each (see {@link WithKubeApiServer}).
 */
public final class TestApiServer implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private static TestApiServer shared;

  private final KubeAPIServer server;
  private final TestEnvironment environment;
  private final Duration startupTime;
  private final String kubeConfigYaml;
  private volatile boolean stopped;

  private TestApiServer(TestEnvironment environment) {
    this.environment = environment.requireBinaries();
    this.server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(environment.kubeApiTestDir().toString())
        .withApiServerVersion(environment.versions().kubernetesVersion())
        // set in code: kube-api-test's env variables cannot express a boolean (a String is cast to Boolean)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        // no default route on some CI machines: without these the API server cannot pick an address
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withStartupTimeout((int) STARTUP_TIMEOUT.toMillis())
        .build());
    sleep(delayBeforeStart(LocalTime.now(), STARTUP_TIMEOUT));
    long t0 = System.nanoTime();
    server.start();
    this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
    this.kubeConfigYaml = server.getKubeConfigYaml();
  }

  /**
   * kube-api-test 7.5.2 keeps its startup deadline as a {@link LocalTime} (start + timeout), which
   * wraps at midnight: a start that begins less than the timeout before midnight "does not start
   * properly" at once (seen in CI at 23:59). Starting after midnight instead avoids the false failure.
   */
  static Duration delayBeforeStart(LocalTime now, Duration timeout) {
    Duration toMidnight = Duration.between(now, LocalTime.MAX).plusNanos(1);
    Duration margin = timeout.plusSeconds(5);
    return toMidnight.compareTo(margin) < 0 ? toMidnight.plusSeconds(1) : Duration.ZERO;
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for midnight to pass before starting the API server", e);
    }
  }

  /** Starts a private server; close it when done. Prefer {@link #shared()}. */
  public static TestApiServer start() {
    return new TestApiServer(TestEnvironment.resolve());
  }

  /** The JVM-wide server, started on first call (a few seconds) and stopped at JVM exit. */
  public static synchronized TestApiServer shared() {
    if (shared == null || shared.stopped) {
      TestApiServer started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "pbtnas-test-apiserver-stop"));
      shared = started;
    }
    return shared;
  }

  public Duration startupTime() {
    return startupTime;
  }

  public TestEnvironment environment() {
    return environment;
  }

  /** A kubeconfig (client certificate, CA and server URL) for this server. */
  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** Writes the kubeconfig atomically, e.g. for a subprocess or a Quarkus test profile. */
  public Path writeKubeConfig(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, kubeConfigYaml, StandardCharsets.UTF_8);
    return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public Config clientConfig() {
    return Config.fromKubeconfig(kubeConfigYaml);
  }

  /**
   * The same connection as Quarkus configuration ({@code quarkus.kubernetes-client.*}), e.g. for a
   * QuarkusTestResourceLifecycleManager; plain strings, so this jar needs no Quarkus.
   */
  public Map<String, String> quarkusClientProperties() {
    Config c = clientConfig();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("quarkus.kubernetes-client.api-server-url", c.getMasterUrl());
    props.put("quarkus.kubernetes-client.ca-cert-file", c.getCaCertFile());
    props.put("quarkus.kubernetes-client.client-cert-file", c.getClientCertFile());
    props.put("quarkus.kubernetes-client.client-key-file", c.getClientKeyFile());
    props.put("quarkus.kubernetes-client.trust-certs", "false");
    return props;
  }

  /** A new client (the caller closes it), its default namespace set to {@code namespace}. */
  public KubernetesClient newClient(String namespace) {
    Config config = clientConfig();
    config.setNamespace(namespace);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public KubernetesClient newClient() {
    return newClient("default");
  }

  @Override
  public synchronized void close() {
    if (!stopped) {
      stopped = true;
      server.stop();
    }
  }
}
