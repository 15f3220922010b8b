package io.pbtnas.testkit.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.TestNamespace;
import io.pbtnas.testkit.WithKubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithKubeApiServer
class TestKubeletTest {

  private static final String SH = "local/sh:1";

  @TempDir
  Path root;
  KubernetesClient client;
  TestKubelet kubelet;

  @BeforeEach
  void startKubelet(TestNamespace ns) {
    client = ns.client();
    kubelet = TestKubelet.builder(client).root(root).gpus(1).image("local/sh:*", Launchers.asIs())
        .maxGracePeriod(java.time.Duration.ofSeconds(2)).start();
  }

  @AfterEach
  void stopKubelet() {
    kubelet.close();
  }

  @Test
  void podWritingATerminationMessageSucceedsWithIt() {
    create(pod("ok", "printf 'score=0.9' > /dev/termination-log"));

    Pod done = await("ok", p -> phase(p, "Succeeded"));
    ContainerStateTerminated t = terminated(done.getStatus().getContainerStatuses().get(0));
    assertEquals(0, t.getExitCode());
    assertEquals("Completed", t.getReason());
    assertEquals("score=0.9", t.getMessage());
    assertEquals(kubelet.nodeName(), done.getSpec().getNodeName());
  }

  @Test
  void failingCommandEndsFailedWithItsExitCode() {
    create(pod("bad", "echo boom >&2; exit 3"));

    Pod done = await("bad", p -> phase(p, "Failed"));
    ContainerStateTerminated t = terminated(done.getStatus().getContainerStatuses().get(0));
    assertEquals(3, t.getExitCode());
    assertEquals("Error", t.getReason());
    assertTrue(kubelet.log(done, "main").contains("boom"), kubelet.log(done, "main"));
  }

  @Test
  void twoOneGpuPodsOnAOneGpuNodeRunOneAfterTheOther() throws Exception {
    for (String name : List.of("gpu-a", "gpu-b")) {
      create(new PodBuilder(pod(name, "echo \"start $(date +%s%N)\" >> /shared/$POD; sleep 1;"
          + " echo \"end $(date +%s%N)\" >> /shared/$POD"))
          .editSpec().editFirstContainer()
          .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
          .endFieldRef().endValueFrom().endEnv()
          .editResources().addToLimits(TestKubelet.GPU, new Quantity("1")).endResources()
          .addNewVolumeMount().withName("shared").withMountPath("/shared").endVolumeMount()
          .endContainer()
          .addNewVolume().withName("shared").withNewPersistentVolumeClaim().withClaimName("work").endPersistentVolumeClaim()
          .endVolume().endSpec().build());
    }

    // whichever runs first, the other must not even be bound while it holds the only GPU
    Pod first = awaitAny(p -> phase(p, "Running"));
    String other = first.getMetadata().getName().equals("gpu-a") ? "gpu-b" : "gpu-a";
    Pod waiting = client.pods().withName(other).get();
    assertNull(waiting.getSpec().getNodeName(), "second GPU pod was bound while the first ran");

    await("gpu-a", p -> phase(p, "Succeeded"));
    await("gpu-b", p -> phase(p, "Succeeded"));
    long[] a = interval(kubelet.claimDir(client.getNamespace(), "work").resolve("gpu-a"));
    long[] b = interval(kubelet.claimDir(client.getNamespace(), "work").resolve("gpu-b"));
    assertTrue(a[1] <= b[0] || b[1] <= a[0], "GPU pods overlapped: a=" + a[0] + ".." + a[1] + " b=" + b[0] + ".." + b[1]);
  }

  @Test
  void aGatedPodIsNeitherBoundNorStartedUntilItsGatesAreRemoved() {
    create(new PodBuilder(pod("gated", "true")).editSpec().addNewSchedulingGate().withName("example.com/hold")
        .endSchedulingGate().endSpec().build());
    // created after the gated pod: once it ran, the kubelet has synced with the gated pod in its cache
    create(pod("after", "true"));
    await("after", p -> phase(p, "Succeeded"));

    Pod held = client.pods().withName("gated").get();
    assertNull(held.getSpec().getNodeName(), "a pod with a scheduling gate was bound");
    assertEquals("Pending", held.getStatus().getPhase());
    assertEquals("SchedulingGated", held.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElseThrow().getReason());

    client.pods().withName("gated").edit(p -> new PodBuilder(p).editSpec().withSchedulingGates(List.of()).endSpec().build());
    Pod done = await("gated", p -> phase(p, "Succeeded"));
    assertEquals(kubelet.nodeName(), done.getSpec().getNodeName());
  }

  @Test
  void podDeletedWhileRunningHasItsProcessTreeStopped() throws Exception {
    create(new PodBuilder(pod("long", "sleep 600 & echo $! > /scratch/child; wait"))
        .editSpec().editFirstContainer()
        .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount().endContainer()
        .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build());
    Pod running = await("long", p -> phase(p, "Running"));
    Path childFile = kubelet.dirs().pod(running).resolve("volumes/scratch/child");
    long child = Long.parseLong(waitForContent(childFile).strip());
    assertTrue(TestKubelet.isProcessRunning(child), "child should be running");

    client.pods().withName("long").delete();

    client.pods().withName("long").waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertFalse(TestKubelet.isProcessRunning(child), "the container's child process survived the pod's deletion");
  }

  @Test
  void anEvictedPodIsStoppedAndKeepsTheDisruptionTargetConditionTheApiServerSet() throws Exception {
    create(pod("evictee", "sleep 600"));
    await("evictee", p -> phase(p, "Running"));
    java.util.List<Pod> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch = client.pods().withName("evictee").watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
      @Override
      public void eventReceived(Action action, Pod p) {
        seen.add(p);
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException e) {
      }
    })) {
      // The Eviction API (no PodDisruptionBudget here): the API server adds DisruptionTarget, then deletes.
      assertTrue(client.pods().withName("evictee").evict(), "eviction refused");
      client.pods().withName("evictee").waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
      Thread.sleep(200); // the watch's last events
    }
    Pod failed = seen.stream().filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()))
        .findFirst().orElseThrow(() -> new AssertionError("never seen Failed: " + seen.size() + " versions"));
    assertTrue(failed.getStatus().getConditions().stream().anyMatch(c -> "DisruptionTarget".equals(c.getType())
        && "True".equals(c.getStatus()) && "EvictionByEvictionAPI".equals(c.getReason())),
        "the kubelet's status write dropped the API server's condition: " + failed.getStatus().getConditions());
  }

  @Test
  void initContainersRunFirstAndShareVolumesWithTheMainContainer() throws Exception {
    Pod pod = new PodBuilder(pod("init", "cat /in/greeting > /dev/termination-log; echo done > /out/result"))
        .editSpec()
        .addNewInitContainer().withName("prepare").withImage(SH).withCommand("sh", "-c")
        .withArgs("echo \"hello from $(POD_NAME)\" > /data/greeting")
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().endEnv()
        .addNewVolumeMount().withName("scratch").withMountPath("/data").endVolumeMount()
        .endInitContainer()
        .editFirstContainer()
        .addNewVolumeMount().withName("scratch").withMountPath("/in").endVolumeMount()
        .addNewVolumeMount().withName("results").withMountPath("/out").withSubPath("members/0").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("results").withNewPersistentVolumeClaim().withClaimName("ckpt")
        .endPersistentVolumeClaim().endVolume()
        .endSpec().build();
    create(pod);

    Pod done = await("init", p -> phase(p, "Succeeded"));
    assertEquals(0, terminated(done.getStatus().getInitContainerStatuses().get(0)).getExitCode());
    assertEquals("hello from init\n", terminated(done.getStatus().getContainerStatuses().get(0)).getMessage());
    assertEquals("done\n", Files.readString(kubelet.claimDir(client.getNamespace(), "ckpt").resolve("members/0/result")));
  }

  @Test
  void failingInitContainerFailsThePodAndTheMainContainerNeverRuns() throws Exception {
    create(new PodBuilder(pod("initfail", "echo ran > /dev/termination-log"))
        .editSpec().addNewInitContainer().withName("prepare").withImage(SH).withCommand("sh", "-c", "exit 7")
        .endInitContainer().endSpec().build());

    Pod done = await("initfail", p -> phase(p, "Failed"));
    assertEquals(7, terminated(done.getStatus().getInitContainerStatuses().get(0)).getExitCode());
    ContainerStatus main = done.getStatus().getContainerStatuses().get(0);
    assertNull(main.getState().getTerminated(), "main container must not have run");
    assertEquals("PodInitializing", main.getState().getWaiting().getReason());
  }

  @Test
  void injectedFaultsFailAndKillOnDemand() {
    kubelet.failNext("faulty-.*", 42);
    kubelet.hangNext("hung");
    create(pod("faulty-1", "exit 0"));
    create(pod("hung", "exit 0"));

    Pod failed = await("faulty-1", p -> phase(p, "Failed"));
    assertEquals(42, terminated(failed.getStatus().getContainerStatuses().get(0)).getExitCode());

    await("hung", p -> phase(p, "Running"));
    assertTrue(kubelet.kill(client.getNamespace(), "hung"));
    Pod killed = await("hung", p -> phase(p, "Failed"));
    assertEquals(137, terminated(killed.getStatus().getContainerStatuses().get(0)).getExitCode());
  }

  @Test
  void imageOutsideTheAllowListNeverRuns() {
    create(new PodBuilder(pod("evil", "touch /tmp/should-not-exist")).editSpec().editFirstContainer()
        .withImage("docker.io/library/busybox").endContainer().endSpec().build());

    Pod stuck = await("evil", p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
        && "ErrImagePull".equals(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()));
    assertEquals("Pending", stuck.getStatus().getPhase());
    assertTrue(stuck.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage()
        .contains("local/sh:*"));
  }

  private Pod pod(String name, String script) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("main").withImage(SH).withCommand("sh", "-c", script).withNewResources()
        .addToRequests("cpu", new Quantity("100m")).endResources().endContainer()
        .endSpec().build();
  }

  private void create(Pod pod) {
    client.pods().resource(pod).create();
  }

  private Pod await(String name, Predicate<Pod> condition) {
    return client.pods().withName(name).waitUntilCondition(p -> p != null && condition.test(p), 60, TimeUnit.SECONDS);
  }

  private Pod awaitAny(Predicate<Pod> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (Pod p : client.pods().list().getItems()) {
        if (condition.test(p)) {
          return p;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no pod reached the condition in 60 s");
  }

  private static boolean phase(Pod p, String phase) {
    return p.getStatus() != null && phase.equals(p.getStatus().getPhase());
  }

  private static ContainerStateTerminated terminated(ContainerStatus s) {
    assertTrue(s.getState().getTerminated() != null, "not terminated: " + s.getState());
    return s.getState().getTerminated();
  }

  private static String waitForContent(Path file) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (Files.exists(file) && !Files.readString(file).isBlank()) {
        return Files.readString(file);
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " was never written");
  }

  /** [start, end] in ns from the "start N" / "end N" lines a GPU pod wrote. */
  private static long[] interval(Path file) throws Exception {
    Map<String, Long> m = new java.util.HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.split(" ");
      m.put(parts[0], Long.parseLong(parts[1]));
    }
    return new long[] {m.get("start"), m.get("end")};
  }
}
