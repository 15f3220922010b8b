package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A kubelet (and a one-node scheduler) for tests: registers a Node, binds pending pods of its
 * namespaces that fit through the pods/binding subresource, runs their containers as local
 * processes (see {@link ContainerPreparer} for env/mount/path handling, {@link PodDirs} for where
 * volumes live) and writes their status back. Only images in its {@link ImageAllowList} run.
 *
 * <p>Pods with scheduling gates wait until the gates are removed (e.g. by Kueue on admission).
 * Scheduling respects requests: the sum over the node's non-terminated pods stays within its
 * allocatable cpu, memory, pods and {@code nvidia.com/gpu}, so GPU-limited parallelism is real.
 * Deleting a running pod SIGTERMs its process tree, SIGKILLs it after the grace period (capped by
 * {@link Builder#maxGracePeriod}), then removes the pod object, as a kubelet does.
 *
 * <p>Not modelled: restarts (every pod runs once, as restartPolicy Never), probes, sidecar init
 * containers, readOnly mounts (not enforced), ports and networking (every pod IP is 127.0.0.1).
 */
public final class TestKubelet implements AutoCloseable {

  public static final String GPU = "nvidia.com/gpu";

  private final KubernetesClient client;
  private final String nodeName;
  private final List<String> namespaces;
  private final Map<String, BigDecimal> allocatable;
  private final Map<String, String> nodeLabels = new LinkedHashMap<>();
  private final PodDirs dirs;
  private final Faults faults = new Faults();
  private final PodRunner.Context context;
  private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
  private final ScheduledExecutorService syncThread;
  private final ExecutorService podThreads;
  private final AtomicBoolean syncQueued = new AtomicBoolean();
  /** Pods this node holds resources for (bound, not yet terminal), by uid. */
  private final Map<String, Map<String, BigDecimal>> occupied = new ConcurrentHashMap<>();
  private final Map<String, PodRunner> runners = new ConcurrentHashMap<>();
  /** uids already run (or being finalized): never started twice even while the cache lags. */
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private volatile boolean closed;

  private TestKubelet(Builder b) {
    this.client = b.client;
    this.nodeName = b.nodeName;
    this.namespaces = List.copyOf(b.namespaces);
    this.dirs = new PodDirs(b.root);
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(b.cpu));
    capacity.put("memory", new Quantity(b.memory));
    capacity.put(ResourceFit.PODS, new Quantity(Integer.toString(b.pods)));
    capacity.put(GPU, new Quantity(Integer.toString(b.gpus)));
    this.allocatable = ResourceFit.amounts(capacity);
    EnvResolver env = new EnvResolver(new ApiLookup(client));
    this.context = new PodRunner.Context(client, nodeName, dirs, new ImageAllowList(b.images),
        new ContainerPreparer(dirs, env, nodeName), faults, b.maxGracePeriod);
    this.syncThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "testkubelet-sync-" + nodeName));
    this.podThreads = Executors.newCachedThreadPool(r -> daemon(r, "testkubelet-pod-" + nodeName));
    this.shutdownHook = new Thread(this::killAll, "testkubelet-kill-" + nodeName);
    registerNode(capacity, b.labels);
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  private TestKubelet startWatching() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    ResourceEventHandler<Pod> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        requestSync();
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        requestSync();
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        PodRunner runner = runners.get(pod.getMetadata().getUid());
        if (runner != null) {
          runner.stop(Duration.ZERO, true);
        }
        requestSync();
      }
    };
    for (String ns : namespaces) {
      informers.add(client.pods().inNamespace(ns).inform(handler, 0));
    }
    if (namespaces.isEmpty()) {
      informers.add(client.pods().inAnyNamespace().inform(handler, 0));
    }
    // a safety net for anything an event did not trigger (e.g. capacity freed by a finished pod)
    syncThread.scheduleWithFixedDelay(this::requestSync, 500, 500, TimeUnit.MILLISECONDS);
    return this;
  }

  public String nodeName() {
    return nodeName;
  }

  /** The local directory of a PersistentVolumeClaim, as pods of {@code namespace} see {@code claimName}. */
  public Path claimDir(String namespace, String claimName) {
    return dirs.claim(namespace, claimName);
  }

  public PodDirs dirs() {
    return dirs;
  }

  /** What the container wrote to stdout and stderr so far ("" before it ran). */
  public String log(Pod pod, String container) {
    Path log = dirs.container(pod, container).resolve("log");
    try {
      return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next start of the first main container of a pod whose name matches exits with {@code exitCode}. */
  public void failNext(String podNameRegex, int exitCode) {
    faults.arm(new Faults.Fault(Pattern.compile(podNameRegex), null, Faults.Kind.FAIL, exitCode));
  }

  /** As {@link #failNext(String, int)}, for a named (init or main) container. */
  public void failNext(String podNameRegex, String container, int exitCode) {
    faults.arm(new Faults.Fault(Pattern.compile(podNameRegex), container, Faults.Kind.FAIL, exitCode));
  }

  /** The next start of the first main container of a matching pod runs a process that never ends. */
  public void hangNext(String podNameRegex) {
    faults.arm(new Faults.Fault(Pattern.compile(podNameRegex), null, Faults.Kind.HANG, 0));
  }

  public void hangNext(String podNameRegex, String container) {
    faults.arm(new Faults.Fault(Pattern.compile(podNameRegex), container, Faults.Kind.HANG, 0));
  }

  /**
   * SIGKILLs the running containers of a pod (as the OOM killer or a crash would); the pod then
   * ends Failed with exit code 137. False when no such pod is running here.
   */
  public boolean kill(String namespace, String podName) {
    Optional<PodRunner> runner = runners.values().stream()
        .filter(r -> r.name().equals(podName) && r.namespace().equals(namespace)).findFirst();
    runner.ifPresent(PodRunner::killAll);
    return runner.isPresent();
  }

  /** True while a process exists and has not exited (a zombie awaiting its reaper counts as exited). */
  public static boolean isProcessRunning(long pid) {
    return RunningContainer.isRunning(pid);
  }

  private void requestSync() {
    if (!closed && syncQueued.compareAndSet(false, true)) {
      syncThread.execute(() -> {
        syncQueued.set(false);
        try {
          sync();
        } catch (RuntimeException e) {
          // the next sync retries; a transient API error must not stop the kubelet
          System.err.println("[testkubelet " + nodeName + "] sync failed: " + e);
        }
      });
    }
  }

  /** One reconcile pass over the cached pods: deletions, pods bound here, then scheduling. */
  private void sync() {
    if (closed) {
      return;
    }
    List<Pod> pods = new ArrayList<>();
    informers.forEach(i -> pods.addAll(i.getStore().list()));
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      boolean ours = nodeName.equals(pod.getSpec().getNodeName());
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (ours) {
          onDeleting(pod, uid);
        }
      } else if (ours && !handled.contains(uid) && !isTerminal(pod)) {
        startPod(pod, ResourceFit.podRequests(pod.getSpec()));
      }
    }
    pods.stream()
        .filter(p -> p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty())
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !handled.contains(p.getMetadata().getUid()))
        .filter(p -> !isSchedulingGated(p))
        .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp())
            .thenComparing(p -> p.getMetadata().getName()))
        .forEach(this::trySchedule);
  }

  private void onDeleting(Pod pod, String uid) {
    PodRunner runner = runners.get(uid);
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (runner != null) {
      runner.stop(Duration.ofSeconds(grace == null ? 30 : grace), false);
    } else {
      // nothing runs (finished, stuck, or never started): confirm the deletion straight away
      handled.add(uid);
      occupied.remove(uid);
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private void trySchedule(Pod pod) {
    if (!matchesNodeSelector(pod)) {
      markUnschedulable(pod, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "
          + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
      return;
    }
    Map<String, BigDecimal> requests = ResourceFit.podRequests(pod.getSpec());
    if (!ResourceFit.fits(allocatable, occupied.values(), requests)) {
      return;
    }
    Binding binding = new BindingBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid()).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
        .build();
    try {
      client.raw("/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName()
          + "/binding", "POST", binding);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return; // already bound (our cache lags) or deleted meanwhile
      }
      throw e;
    }
    Pod bound = new io.fabric8.kubernetes.api.model.PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build();
    startPod(bound, requests);
  }

  private void startPod(Pod pod, Map<String, BigDecimal> requests) {
    String uid = pod.getMetadata().getUid();
    if (!handled.add(uid)) {
      return;
    }
    occupied.put(uid, requests);
    PodRunner runner = new PodRunner(pod, context, () -> {
      PodRunner finished = runners.remove(uid);
      // a terminal pod frees its resources; a stuck one (e.g. image not allowed) holds them like a real one
      if (finished != null && (finished.terminal() || finished.stopping())) {
        occupied.remove(uid);
      }
      requestSync();
    });
    runners.put(uid, runner);
    podThreads.execute(runner);
  }

  /** What the scheduler writes on a pod no node can take: condition PodScheduled=False, reason Unschedulable. */
  private void markUnschedulable(Pod pod, String message) {
    boolean marked = pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())
            && "Unschedulable".equals(c.getReason()) && message.equals(c.getMessage()));
    if (marked) {
      return;
    }
    Pod patch = new Pod();
    patch.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
            .withMessage(message).withLastTransitionTime(PodStatuses.time(Instant.now())).endCondition()
        .build());
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
              io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Adds a label to this node (as `kubectl label node` would); pods waiting for it are scheduled. */
  public void label(String key, String value) {
    nodeLabels.put(key, value);
    client.nodes().withName(nodeName).edit(n -> {
      n.getMetadata().getLabels().put(key, value);
      return n;
    });
    requestSync();
  }

  private boolean matchesNodeSelector(Pod pod) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(nodeLabels.get(e.getKey())));
  }

  /**
   * A pod with {@code spec.schedulingGates} is not a candidate until every gate is removed, as for
   * kube-scheduler (the API server itself sets its PodScheduled=False/SchedulingGated condition).
   */
  static boolean isSchedulingGated(Pod pod) {
    return pod.getSpec().getSchedulingGates() != null && !pod.getSpec().getSchedulingGates().isEmpty();
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private void registerNode(Map<String, Quantity> capacity, Map<String, String> labels) {
    nodeLabels.putAll(labels);
    nodeLabels.put("kubernetes.io/hostname", nodeName);
    nodeLabels.put("kubernetes.io/os", "linux");
    Node node = new NodeBuilder().withNewMetadata().withName(nodeName).withLabels(nodeLabels).endMetadata().build();
    client.nodes().resource(node).create();
    String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    NodeStatus status = new NodeStatusBuilder()
        .withCapacity(capacity).withAllocatable(capacity)
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("pbtnas test kubelet is posting ready status").withLastHeartbeatTime(now)
        .withLastTransitionTime(now).endCondition()
        .addNewAddress().withType("InternalIP").withAddress(PodStatuses.LOCAL_IP).endAddress()
        .addNewAddress().withType("Hostname").withAddress(nodeName).endAddress()
        .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
        .withKubeletVersion("pbtnas-testkubelet").withContainerRuntimeVersion("testkubelet://local-processes")
        .withBootID("").withMachineID("").withSystemUUID("").withKernelVersion("").withOsImage("")
        .withKubeProxyVersion("").endNodeInfo()
        .build();
    Node patch = new Node();
    patch.setStatus(status);
    client.nodes().withName(nodeName).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private void killAll() {
    runners.values().forEach(r -> r.stop(Duration.ZERO, true));
    runners.values().forEach(PodRunner::killAll);
  }

  /** Stops watching, kills every pod process this kubelet started, and removes the Node. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    informers.forEach(SharedIndexInformer::close);
    killAll();
    syncThread.shutdownNow();
    podThreads.shutdown();
    try {
      podThreads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running
    }
    try {
      client.nodes().withName(nodeName).delete();
    } catch (KubernetesClientException e) {
      // the API server may already be gone at JVM exit
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** ConfigMaps and Secrets for env references, read from the API server. */
  private record ApiLookup(KubernetesClient client) implements EnvResolver.Lookup {
    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
      return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get())
          .map(cm -> cm.getData() == null ? Map.of() : cm.getData());
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
      return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()).map(s -> {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (s.getData() != null) {
          s.getData().forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return decoded;
      });
    }
  }

  /** Configures a {@link TestKubelet}; {@link #start()} registers the node and starts watching. */
  public static final class Builder {
    private final KubernetesClient client;
    private String nodeName = "testkubelet-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> namespaces = new ArrayList<>();
    private boolean allNamespaces;
    private String cpu = "8";
    private String memory = "32Gi";
    private int gpus;
    private int pods = 110;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Launcher> images = new LinkedHashMap<>();
    private Path root;
    private Duration maxGracePeriod = Duration.ofSeconds(10);

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    public Builder nodeName(String name) {
      this.nodeName = name;
      return this;
    }

    /** Only pods of these namespaces are scheduled here; default: the client's namespace. */
    public Builder namespace(String... names) {
      namespaces.addAll(List.of(names));
      return this;
    }

    /** Schedule pods of every namespace (only one such kubelet per API server, or they race). */
    public Builder allNamespaces() {
      allNamespaces = true;
      return this;
    }

    public Builder cpu(String quantity) {
      this.cpu = quantity;
      return this;
    }

    public Builder memory(String quantity) {
      this.memory = quantity;
      return this;
    }

    /** {@code nvidia.com/gpu} capacity (default 0). */
    public Builder gpus(int count) {
      this.gpus = count;
      return this;
    }

    public Builder maxPods(int count) {
      this.pods = count;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /** Allows images matching {@code pattern} (exact, or a prefix ending in '*') to run through {@code launcher}. */
    public Builder image(String pattern, Launcher launcher) {
      images.put(pattern, launcher);
      return this;
    }

    /** Where volumes and container files go (see {@link PodDirs}); required. */
    public Builder root(Path dir) {
      this.root = dir;
      return this;
    }

    /** Upper bound on a deleted pod's grace period before SIGKILL, to keep tests fast (default 10 s). */
    public Builder maxGracePeriod(Duration max) {
      this.maxGracePeriod = max;
      return this;
    }

    public TestKubelet start() {
      if (root == null) {
        throw new IllegalArgumentException("TestKubelet.Builder.root(dir) is required: the directory under which"
            + " pod volumes and container files are created (e.g. a JUnit @TempDir)");
      }
      if (images.isEmpty()) {
        throw new IllegalArgumentException("TestKubelet.Builder.image(pattern, launcher): allow at least one image;"
            + " no other image is ever run");
      }
      if (!allNamespaces && namespaces.isEmpty()) {
        String ns = client.getNamespace();
        if (ns == null) {
          throw new IllegalArgumentException("TestKubelet.Builder.namespace(...): the client has no default namespace;"
              + " name the namespaces to serve, or call allNamespaces()");
        }
        namespaces.add(ns);
      }
      return new TestKubelet(this).startWatching();
    }
  }
}
