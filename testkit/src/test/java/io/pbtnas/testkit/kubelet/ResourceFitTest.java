package io.pbtnas.testkit.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceFitTest {

  private static final Map<String, BigDecimal> NODE = ResourceFit.amounts(Map.of(
      "cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("10"),
      TestKubelet.GPU, new Quantity("1")));

  @Test
  void podRequestsAreSumOfContainersMaxOfInitsAndLimitsDefaultRequests() {
    PodSpec spec = new PodSpecBuilder()
        .addNewContainer().withName("a").withNewResources().addToRequests("cpu", new Quantity("500m"))
        .addToLimits(TestKubelet.GPU, new Quantity("1")).endResources().endContainer()
        .addNewContainer().withName("b").withNewResources().addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("1Gi")).endResources().endContainer()
        .addNewInitContainer().withName("i").withNewResources().addToRequests("cpu", new Quantity("1"))
        .endResources().endInitContainer()
        .build();
    Map<String, BigDecimal> r = ResourceFit.podRequests(spec);
    assertEquals(0, new BigDecimal("1").compareTo(r.get("cpu")), r.toString());
    assertEquals(0, new BigDecimal(1L << 30).compareTo(r.get("memory")));
    assertEquals(0, BigDecimal.ONE.compareTo(r.get(TestKubelet.GPU)));
    assertEquals(0, BigDecimal.ONE.compareTo(r.get("pods")));
  }

  @Test
  void gpuLimitsParallelism() {
    Map<String, BigDecimal> gpuPod = Map.of(TestKubelet.GPU, BigDecimal.ONE, "pods", BigDecimal.ONE);
    assertTrue(ResourceFit.fits(NODE, List.of(), gpuPod));
    assertFalse(ResourceFit.fits(NODE, List.of(gpuPod), gpuPod));
  }

  @Test
  void unknownResourceFitsOnlyWhenNotRequested() {
    assertFalse(ResourceFit.fits(NODE, List.of(), Map.of("example.com/fpga", BigDecimal.ONE)));
    assertTrue(ResourceFit.fits(NODE, List.of(), Map.of("example.com/fpga", BigDecimal.ZERO)));
  }

  @Test
  void cpuIsSummedAcrossPods() {
    Map<String, BigDecimal> half = Map.of("cpu", new BigDecimal("1.5"));
    assertTrue(ResourceFit.fits(NODE, List.of(Map.of("cpu", new BigDecimal("0.5"))), half));
    assertFalse(ResourceFit.fits(NODE, List.of(half), half));
  }
}
