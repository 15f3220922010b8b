package io.pbtnas.testkit.kueue;


import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pbtnas.testkit.TestApiServer;
import io.pbtnas.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kueue's real controller manager (built by test-env/build-kueue.sh) running on this machine against
 * a real API server: CRDs from its module installed, its webhooks registered by URL (see
 * {@link KueueWebhooks}), configured by {@link KueueSettings}. Namespaces labelled
 * {@link KueueSettings#MANAGED_LABEL} are managed; create them with {@link #createManagedNamespace}.
 *
 * <p>Most tests want {@link #shared()}: one Kueue on the JVM-wide {@link TestApiServer}, stopped at JVM exit.
 */
public final class TestKueue implements AutoCloseable {

  public static final String API_VERSION = "kueue.x-k8s.io/v1beta2";
  public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
  public static final String PRIORITY_LABEL = "kueue.x-k8s.io/priority-class";
  public static final String ADMISSION_GATE = "kueue.x-k8s.io/admission";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  /** Kueue 0.17 reads its metrics serving certificate here whenever internal cert management is off (cmd/kueue). */
  static final Path METRICS_CERT_DIR = Path.of("/etc/kueue/metrics/certs");

  private static TestKueue shared;

  private final KubernetesClient admin;
  private final KueueBinaries binaries;
  private final KueueSettings settings;
  private final Path workDir;
  private final Process process;
  private final Duration startupTime;
  private final List<String> webhookConfigurations;
  private volatile boolean stopped;

  private TestKueue(KubernetesClient admin, String kubeConfigYaml) throws IOException {
    this.admin = admin;
    this.binaries = KueueBinaries.resolve().requireBuilt();
    this.workDir = Files.createTempDirectory("pbtnas-kueue-");
    long t0 = System.nanoTime();
    TestCertificates certs = TestCertificates.create(workDir.resolve("certs"), List.of("127.0.0.1", "localhost"));
    ensureMetricsCertificate(certs);
    this.settings = new KueueSettings("kueue-system", freePort(), freePort(), certs.dir());
    installCrds();
    createNamespace(settings.namespace(), Map.of());
    Path config = Files.writeString(workDir.resolve("config.yaml"), settings.configurationYaml(), StandardCharsets.UTF_8);
    Path kubeconfig = Files.writeString(workDir.resolve("kubeconfig"), kubeConfigYaml, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(binaries.manager().toString(), "--config=" + config)
        .redirectErrorStream(true).redirectOutput(log().toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    this.process = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "pbtnas-test-kueue-stop"));
    awaitReady();
    this.webhookConfigurations = registerWebhooks(certs.caBundle());
    awaitWebhooksServing();
    this.startupTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Starts Kueue against the server {@code admin} talks to ({@code kubeConfigYaml} is given to Kueue). */
  public static TestKueue start(KubernetesClient admin, String kubeConfigYaml) {
    try {
      return new TestKueue(admin, kubeConfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start Kueue: " + e.getMessage(), e);
    }
  }

  /** The JVM-wide Kueue on {@link TestApiServer#shared()}, started on first call. */
  public static synchronized TestKueue shared() {
    if (shared == null || shared.stopped) {
      TestApiServer api = TestApiServer.shared();
      shared = start(api.newClient(), api.kubeConfigYaml());
      System.out.println("[testkit] Kueue " + shared.version() + " started in " + shared.startupTime().toMillis()
          + " ms (CRDs, webhooks registered and answering); log: " + shared.log());
    }
    return shared;
  }

  public Duration startupTime() {
    return startupTime;
  }

  public String version() {
    return binaries.version();
  }

  /** Kueue's own output (for a failing test's message). */
  public Path log() {
    return workDir.resolve("kueue.log");
  }

  /**
   * Creates a namespace Kueue manages, and returns once Kueue's own cache has it: its pod webhook reads
   * the namespace from that cache and refuses pods of a namespace it has not seen yet.
   */
  public void createManagedNamespace(String name) {
    createNamespace(name, Map.of(KueueSettings.MANAGED_LABEL, KueueSettings.MANAGED_VALUE));
    awaitManaged(name);
  }

  /** Labels an existing namespace so Kueue manages it, and returns once Kueue's cache has it (see above). */
  public void manageNamespace(String name) {
    admin.namespaces().withName(name).edit(n -> {
      n.getMetadata().getLabels().put(KueueSettings.MANAGED_LABEL, KueueSettings.MANAGED_VALUE);
      return n;
    });
    awaitManaged(name);
  }

  /** Removes the label {@link #manageNamespace} added: Kueue leaves the namespace's new pods alone again. */
  public void unmanageNamespace(String name) {
    admin.namespaces().withName(name).edit(n -> {
      n.getMetadata().getLabels().remove(KueueSettings.MANAGED_LABEL);
      return n;
    });
  }

  private void awaitManaged(String name) {
    Pod probe = new PodBuilder().withNewMetadata().withName("kueue-probe").withNamespace(name)
        .addToLabels(QUEUE_LABEL, "probe").endMetadata()
        // restricted-compliant, so a namespace enforcing that Pod Security level admits the dry run
        .withNewSpec().withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65534L).withNewSeccompProfile()
        .withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("c").withImage("probe").withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext().endContainer().endSpec().build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        Pod gated = admin.pods().inNamespace(name).resource(probe).dryRun().create();
        if (gated.getSpec().getSchedulingGates().stream().anyMatch(g -> ADMISSION_GATE.equals(g.getName()))) {
          return;
        }
        last = "the dry-run pod came back without the " + ADMISSION_GATE + " gate";
      } catch (KubernetesClientException e) {
        last = e.getMessage();
      }
      sleep(100);
    }
    throw new IllegalStateException("Kueue never managed namespace " + name + " (" + last + "); see " + log());
  }

  /** A cluster-scoped or namespaced Kueue object of {@link #API_VERSION}, e.g. {@code kueue("ClusterQueue", "cq", spec)}. */
  public static GenericKubernetesResource kueue(String kind, String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind(kind)
        .withNewMetadata().withName(name).endMetadata().addToAdditionalProperties("spec", spec).build();
  }

  private void installCrds() throws IOException {
    for (Path file : binaries.crds()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
        admin.resource(crd).forceConflicts().serverSideApply();
      }
    }
    for (Path file : binaries.crds()) {
      String name;
      try (InputStream in = Files.newInputStream(file)) {
        name = admin.apiextensions().v1().customResourceDefinitions().load(in).item().getMetadata().getName();
      }
      admin.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(c -> c != null
          && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
    }
  }

  private void createNamespace(String name, Map<String, String> labels) {
    try {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
          .endMetadata().build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    URI readyz = URI.create("http://127.0.0.1:" + settings.healthPort() + "/readyz");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kueue exited with " + process.exitValue() + " while starting: " + logTail());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) readyz.toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(1000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      sleep(200);
    }
    throw new IllegalStateException("Kueue not ready in " + START_TIMEOUT.toSeconds() + " s: " + logTail());
  }

  private List<String> registerWebhooks(String caBundle) throws IOException {
    List<HasMetadata> manifests;
    try (InputStream in = Files.newInputStream(binaries.webhookManifests())) {
      manifests = admin.load(in).items();
    }
    List<HasMetadata> ours = manifests.stream().map(m -> {
      if (m instanceof MutatingWebhookConfiguration mw) {
        return (HasMetadata) KueueWebhooks.mutating(mw, settings, caBundle);
      }
      if (m instanceof ValidatingWebhookConfiguration vw) {
        return KueueWebhooks.validating(vw, settings, caBundle);
      }
      throw new IllegalStateException("unexpected " + m.getKind() + " in " + binaries.webhookManifests());
    }).toList();
    for (HasMetadata m : ours) {
      admin.resource(m).forceConflicts().serverSideApply();
    }
    return ours.stream().map(m -> m.getKind() + "/" + m.getMetadata().getName()).toList();
  }

  /** A dry-run ResourceFlavor goes through Kueue's webhooks: once it is accepted, the API server reaches them. */
  private void awaitWebhooksServing() {
    GenericKubernetesResource flavor = kueue("ResourceFlavor", "pbtnas-webhook-probe", Map.of());
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        admin.genericKubernetesResources(API_VERSION, "ResourceFlavor").resource(flavor).dryRun().create();
        return;
      } catch (KubernetesClientException e) {
        last = e.getMessage();
      }
      sleep(200);
    }
    throw new IllegalStateException("Kueue's webhooks never answered the API server: " + last + "; " + logTail());
  }

  /**
   * With internal cert management off Kueue reads a metrics certificate from a fixed path and exits
   * without one (nothing scrapes it here): the webhook certificate is put there once if none is.
   */
  private static void ensureMetricsCertificate(TestCertificates certs) throws IOException {
    if (Files.isRegularFile(METRICS_CERT_DIR.resolve("tls.crt")) && Files.isRegularFile(METRICS_CERT_DIR.resolve("tls.key"))) {
      return;
    }
    try {
      Files.createDirectories(METRICS_CERT_DIR);
      for (String f : List.of("tls.key", "tls.crt")) { // key first: a reader that sees the cert finds its key
        Path tmp = Files.createTempFile(METRICS_CERT_DIR, f, ".tmp");
        Files.copy(certs.dir().resolve(f), tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, METRICS_CERT_DIR.resolve(f), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IOException("Kueue " + "needs a certificate in " + METRICS_CERT_DIR + " (tls.crt, tls.key) and this user"
          + " cannot write it (" + e + "): run the tests as root, or put any certificate there", e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n(full log: " + log() + ")";
    } catch (IOException e) {
      return "(no log at " + log() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kueue", e);
    }
  }

  /** Unregisters the webhooks first (so no request waits on a stopped Kueue), then stops the process. */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (webhookConfigurations != null) {
        admin.admissionRegistration().v1().mutatingWebhookConfigurations()
            .withName(KueueWebhooks.PREFIX + "mutating-webhook-configuration").delete();
        admin.admissionRegistration().v1().validatingWebhookConfigurations()
            .withName(KueueWebhooks.PREFIX + "validating-webhook-configuration").delete();
      }
    } catch (KubernetesClientException e) {
      // the API server may already be gone at JVM exit
    }
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
