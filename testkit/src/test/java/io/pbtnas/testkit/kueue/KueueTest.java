package io.pbtnas.testkit.kueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pbtnas.testkit.TestNamespace;
import io.pbtnas.testkit.WithKueue;
import io.pbtnas.testkit.kubelet.Launchers;
import io.pbtnas.testkit.kubelet.TestKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Kueue on the real API server gates a queued plain pod and lifts the gate on admission. */
@WithKueue
class KueueTest {

  @TempDir
  Path root;
  KubernetesClient client;
  TestKubelet kubelet;
  String clusterQueue;

  @BeforeEach
  void queues(TestNamespace ns) {
    client = ns.client();
    kubelet = TestKubelet.builder(client).root(root).gpus(4).image("local/sh:*", Launchers.asIs())
        .maxGracePeriod(Duration.ofSeconds(2)).start();
    // cluster-scoped: one ClusterQueue and flavor per test, named after its namespace
    clusterQueue = ns.name();
    client.resource(TestKueue.kueue("ResourceFlavor", ns.name(), Map.of())).create();
    client.resource(TestKueue.kueue("ClusterQueue", clusterQueue, Map.of(
        "namespaceSelector", Map.of(),
        "resourceGroups", List.of(Map.of(
            "coveredResources", List.of("cpu", TestKubelet.GPU),
            "flavors", List.of(Map.of("name", ns.name(), "resources", List.of(
                Map.of("name", "cpu", "nominalQuota", "4"),
                Map.of("name", TestKubelet.GPU, "nominalQuota", "1"))))))))).create();
    GenericKubernetesResource lq = TestKueue.kueue("LocalQueue", "team", Map.of("clusterQueue", clusterQueue));
    lq.getMetadata().setNamespace(ns.name());
    client.resource(lq).create();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    client.genericKubernetesResources(TestKueue.API_VERSION, "ClusterQueue").withName(clusterQueue).delete();
    client.genericKubernetesResources(TestKueue.API_VERSION, "ResourceFlavor").withName(clusterQueue).delete();
  }

  @Test
  void aQueuedPodIsGatedUntilAdmittedAndASecondWaitsForTheQuota(TestKueue kueue) throws Exception {
    // runs until the test releases it (a file in its emptyDir), so it holds the quota while the second is judged
    Pod first = client.pods().resource(new PodBuilder(gpuPod("first", "until [ -f /scratch/release ]; do sleep 0.1; done"))
        .editSpec().editFirstContainer().addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
        .endContainer().addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build())
        .create();
    assertTrue(gated(first), "Kueue's webhook did not gate the queued pod: " + first.getSpec().getSchedulingGates()
        + " (log " + kueue.log() + ")");
    Pod running = await("first", p -> "Running".equals(phase(p)));
    assertTrue(!gated(running), "running while gated");
    assertEquals(kubelet.nodeName(), running.getSpec().getNodeName());

    Pod second = client.pods().resource(gpuPod("second", "true")).create();
    assertTrue(gated(second));
    // Kueue evaluated it and found no quota left: that, not time passing, says it is held for the quota
    GenericKubernetesResource workload = awaitWorkloadOf("second", w -> condition(w, "QuotaReserved", "False") != null);
    assertTrue(String.valueOf(condition(workload, "QuotaReserved", "False").get("message")).contains("insufficient"),
        String.valueOf(workload.getAdditionalProperties().get("status")));
    Pod held = client.pods().withName("second").get();
    assertTrue(gated(held), "admitted beyond the quota");
    assertNull(held.getSpec().getNodeName());

    // Finished, not deleted: the API-server tier has no garbage collector, and a Workload whose pod was
    // deleted while admitted keeps its quota until one deletes it
    Files.writeString(kubelet.dirs().pod(running).resolve("volumes/scratch/release"), "");
    await("first", p -> "Succeeded".equals(phase(p)));
    Pod done = await("second", p -> "Succeeded".equals(phase(p)));
    assertTrue(!gated(done));
    assertTrue(kueue.version().startsWith("0."), kueue.version());
  }

  @Test
  void aPodWithoutTheQueueLabelIsLeftAlone() {
    Pod plain = client.pods().resource(new PodBuilder(gpuPod("plain", "true")).editMetadata().withLabels(Map.of())
        .endMetadata().build()).create();
    assertTrue(!gated(plain), String.valueOf(plain.getSpec().getSchedulingGates()));
    await("plain", p -> "Succeeded".equals(phase(p)));
  }

  private Pod gpuPod(String name, String script) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels(TestKueue.QUEUE_LABEL, "team").endMetadata()
        .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
        .addNewContainer().withName("main").withImage("local/sh:1").withCommand("sh", "-c", script).withNewResources()
        .addToRequests("cpu", new Quantity("1")).addToLimits(TestKubelet.GPU, new Quantity("1")).endResources()
        .endContainer().endSpec().build();
  }

  private static boolean gated(Pod p) {
    return p.getSpec().getSchedulingGates() != null
        && p.getSpec().getSchedulingGates().stream().anyMatch(g -> TestKueue.ADMISSION_GATE.equals(g.getName()));
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  private Pod await(String name, Predicate<Pod> condition) {
    return client.pods().withName(name).waitUntilCondition(p -> p != null && condition.test(p), 60, TimeUnit.SECONDS);
  }

  private GenericKubernetesResource awaitWorkloadOf(String pod, Predicate<GenericKubernetesResource> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (GenericKubernetesResource w : client.genericKubernetesResources(TestKueue.API_VERSION, "Workload").list().getItems()) {
        boolean owned = w.getMetadata().getOwnerReferences().stream().anyMatch(o -> pod.equals(o.getName()));
        if (owned && condition.test(w)) {
          return w;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no Workload of pod " + pod + " reached the condition in 60 s");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> condition(GenericKubernetesResource w, String type, String status) {
    Object s = w.getAdditionalProperties().get("status");
    if (!(s instanceof Map<?, ?> st) || !(st.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    return conditions.stream().map(c -> (Map<String, Object>) c)
        .filter(c -> type.equals(c.get("type")) && status.equals(c.get("status"))).findFirst().orElse(null);
  }
}
