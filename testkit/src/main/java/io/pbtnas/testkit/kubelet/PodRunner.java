package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one bound pod to the end on this machine: volumes, init containers in order (the first
 * failure fails the pod), then all main containers together; each step's status is written back
 * through the pod's status subresource. Pods are run once, as with restartPolicy Never.
 */
final class PodRunner implements Runnable {

  /** What the kubelet shares with every runner. */
  record Context(KubernetesClient client, String nodeName, PodDirs dirs, ImageAllowList images,
      ContainerPreparer preparer, Faults faults, Duration maxGracePeriod) {
  }

  private final Pod pod;
  private final Context ctx;
  private final Runnable onFinished;
  private final List<Container> inits;
  private final List<Container> mains;
  private final Map<String, ContainerState> initStates = new LinkedHashMap<>();
  private final Map<String, ContainerState> mainStates = new LinkedHashMap<>();
  private final List<Execution> running = new ArrayList<>();
  private final Instant startTime = Instant.now();
  private boolean initialized;
  private volatile boolean stopping;
  private volatile boolean goneFromApi;
  private volatile Duration stopGrace = Duration.ZERO;
  private volatile boolean terminal;

  PodRunner(Pod pod, Context ctx, Runnable onFinished) {
    this.pod = pod;
    this.ctx = ctx;
    this.onFinished = onFinished;
    this.inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    this.mains = pod.getSpec().getContainers();
  }

  String name() {
    return pod.getMetadata().getName();
  }

  String namespace() {
    return pod.getMetadata().getNamespace();
  }

  boolean stopping() {
    return stopping;
  }

  /** True once the pod reached Succeeded or Failed. */
  boolean terminal() {
    return terminal;
  }

  @Override
  public void run() {
    try {
      runPod();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killAll();
    } catch (RuntimeException e) {
      // e.g. the API server went away: never leave the pod's processes running unobserved
      killAll();
      System.err.println("[testkubelet] pod " + namespace() + "/" + name() + " abandoned: " + e);
    } finally {
      if (stopping && !goneFromApi) {
        finalizeDeletion();
      }
      onFinished.run();
    }
  }

  private void runPod() throws InterruptedException {
    inits.forEach(c -> initStates.put(c.getName(), PodStatuses.waiting("PodInitializing", null)));
    mains.forEach(c -> mainStates.put(c.getName(), PodStatuses.waiting(inits.isEmpty() ? "ContainerCreating"
        : "PodInitializing", null)));
    write("Pending");

    Map<String, Launcher> launchers = new LinkedHashMap<>();
    for (Container c : concat(inits, mains)) {
      var launcher = ctx.images().launcherFor(c.getImage());
      if (launcher.isEmpty()) {
        // a real kubelet would keep retrying the pull: the pod stays Pending, the reason says why
        stuck(c, "ErrImagePull", "image '" + c.getImage() + "' is not in this TestKubelet's allow-list ("
            + ctx.images().describe() + "); add it with TestKubelet.Builder.image(pattern, launcher)");
        return;
      }
      launchers.put(c.getName(), launcher.get());
    }
    Map<String, Path> volumes;
    try {
      volumes = prepareVolumes();
    } catch (IOException | RuntimeException e) {
      stuck(mains.get(0), "CreateContainerConfigError", e.getMessage());
      return;
    }

    for (Container c : inits) {
      if (stopping) {
        return;
      }
      Execution exec = start(c, true, volumes, launchers.get(c.getName()));
      if (exec == null) {
        return;
      }
      initStates.put(c.getName(), PodStatuses.running(exec.startedAt()));
      write("Pending");
      ContainerResult result = awaitTracked(exec);
      initStates.put(c.getName(), PodStatuses.terminated(result));
      if (result.exitCode() != 0) {
        finish("Failed");
        return;
      }
    }
    initialized = true;

    List<Execution> started = new ArrayList<>();
    for (Container c : mains) {
      if (stopping) {
        break;
      }
      Execution exec = start(c, false, volumes, launchers.get(c.getName()));
      if (exec == null) {
        started.forEach(Execution::kill);
        return;
      }
      started.add(exec);
      mainStates.put(c.getName(), PodStatuses.running(exec.startedAt()));
    }
    write("Running");
    boolean allSucceeded = started.size() == mains.size();
    for (int i = 0; i < started.size(); i++) {
      ContainerResult result = awaitTracked(started.get(i));
      mainStates.put(mains.get(i).getName(), PodStatuses.terminated(result));
      allSucceeded &= result.exitCode() == 0;
    }
    finish(allSucceeded ? "Succeeded" : "Failed");
  }

  /** Starts a container (or an armed fault); null when it cannot be configured (the pod is then stuck). */
  private Execution start(Container c, boolean init, Map<String, Path> volumes, Launcher launcher)
      throws InterruptedException {
    ContainerLaunch launch;
    List<String> command;
    try {
      launch = ctx.preparer().prepare(pod, c, init, volumes);
      command = launcher.command(launch);
    } catch (IOException | RuntimeException e) {
      stuck(c, "CreateContainerConfigError", e.getMessage());
      return null;
    }
    boolean firstMain = !init && c == mains.get(0);
    var fault = ctx.faults().take(name(), c.getName(), firstMain);
    if (fault.isPresent() && fault.get().kind() == Faults.Kind.FAIL) {
      return Execution.failed(fault.get().exitCode(), "Error", "fault injected by TestKubelet.failNext");
    }
    if (fault.isPresent()) {
      command = List.of("sleep", "infinity");
    }
    Path log = ctx.dirs().container(pod, c.getName()).resolve("log");
    Execution exec;
    try {
      exec = Execution.start(launch, command, log, c.getTerminationMessagePolicy());
    } catch (IOException e) {
      // what containerd reports when the entrypoint cannot be started
      exec = Execution.failed(128, "StartError", e.getMessage());
    }
    synchronized (running) {
      running.add(exec);
    }
    if (stopping) {
      exec.terminate(stopGrace);
    }
    return exec;
  }

  private ContainerResult awaitTracked(Execution exec) throws InterruptedException {
    try {
      return exec.await();
    } finally {
      synchronized (running) {
        running.remove(exec);
      }
    }
  }

  /** The pod is being deleted: SIGTERM its containers, SIGKILL after the grace period. */
  void stop(Duration grace, boolean alreadyGone) {
    stopGrace = grace.compareTo(ctx.maxGracePeriod()) > 0 ? ctx.maxGracePeriod() : grace;
    goneFromApi |= alreadyGone;
    stopping = true;
    List<Execution> snapshot;
    synchronized (running) {
      snapshot = List.copyOf(running);
    }
    // terminate blocks for the grace period: never on the caller's (the kubelet's sync) thread
    snapshot.forEach(e -> new Thread(() -> e.terminate(stopGrace), "testkubelet-stop-" + name()).start());
  }

  /** SIGKILL the running containers (a fault, or the kubelet closing); the pod then fails with 137. */
  void killAll() {
    synchronized (running) {
      running.forEach(Execution::kill);
    }
  }

  private void finish(String phase) {
    terminal = true;
    write(phase);
  }

  private void stuck(Container c, String reason, String message) {
    Map<String, ContainerState> states = initStates.containsKey(c.getName()) ? initStates : mainStates;
    states.put(c.getName(), PodStatuses.waiting(reason, message));
    write("Pending");
  }

  private void write(String phase) {
    if (goneFromApi) {
      return;
    }
    PodStatus status = PodStatuses.build(phase, startTime, inits, initStates, mains, mainStates, initialized,
        null, null);
    Pod patch = new Pod();
    patch.setStatus(status);
    try {
      // a strategic merge patch of the whole status: container statuses are replaced, conditions merged
      // by type (one the API server set, e.g. DisruptionTarget on an eviction, stays, as with a real
      // kubelet), and no resourceVersion can conflict
      ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(name())
          .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      goneFromApi = true;
    }
  }

  /** What the real kubelet does last: remove the pod object once its containers are gone. */
  private void finalizeDeletion() {
    try {
      ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(name()).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private Map<String, Path> prepareVolumes() throws IOException {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
      Path dir = Files.createDirectories(ctx.dirs().volume(pod, v));
      if (v.getConfigMap() != null) {
        ConfigMap cm = ctx.client().configMaps().inNamespace(pod.getMetadata().getNamespace())
            .withName(v.getConfigMap().getName()).get();
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (cm != null) {
          if (cm.getData() != null) {
            cm.getData().forEach((k, s) -> files.put(k, s.getBytes(StandardCharsets.UTF_8)));
          }
          if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, s) -> files.put(k, Base64.getDecoder().decode(s)));
          }
        }
        project(v, cm != null, Boolean.TRUE.equals(v.getConfigMap().getOptional()), v.getConfigMap().getItems(),
            files, dir, "ConfigMap " + v.getConfigMap().getName());
      } else if (v.getSecret() != null) {
        Secret s = ctx.client().secrets().inNamespace(pod.getMetadata().getNamespace())
            .withName(v.getSecret().getSecretName()).get();
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (s != null && s.getData() != null) {
          s.getData().forEach((k, b64) -> files.put(k, Base64.getDecoder().decode(b64)));
        }
        project(v, s != null, Boolean.TRUE.equals(v.getSecret().getOptional()), v.getSecret().getItems(), files,
            dir, "Secret " + v.getSecret().getSecretName());
      }
      dirs.put(v.getName(), dir);
    }
    return dirs;
  }

  private void project(Volume v, boolean exists, boolean optional, List<KeyToPath> items, Map<String, byte[]> files,
      Path dir, String what) throws IOException {
    if (!exists && !optional) {
      throw new IllegalArgumentException("pod " + pod.getMetadata().getNamespace() + "/" + name() + " volume '"
          + v.getName() + "': " + what + " not found; create it or mark the volume optional");
    }
    Map<String, String> keyToPath = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      files.keySet().forEach(k -> keyToPath.put(k, k));
    } else {
      items.forEach(i -> keyToPath.put(i.getKey(), i.getPath()));
    }
    for (var e : keyToPath.entrySet()) {
      byte[] content = files.get(e.getKey());
      if (content == null) {
        throw new IllegalArgumentException("pod " + pod.getMetadata().getNamespace() + "/" + name() + " volume '"
            + v.getName() + "': " + what + " has no key '" + e.getKey() + "'");
      }
      Path target = dir.resolve(e.getValue()).normalize();
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.write(tmp, content);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static List<Container> concat(List<Container> a, List<Container> b) {
    List<Container> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
