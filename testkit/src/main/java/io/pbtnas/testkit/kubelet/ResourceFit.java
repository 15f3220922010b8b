package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The scheduler's resource arithmetic, as pure functions over resource name → amount. */
public final class ResourceFit {

  public static final String PODS = "pods";

  private ResourceFit() {
  }

  /**
   * What a pod occupies on a node: max(sum of its containers, largest init container) per
   * resource, plus its overhead and one "pods" slot. A container's missing request defaults to its
   * limit, as the API server defaults it.
   */
  public static Map<String, BigDecimal> podRequests(PodSpec spec) {
    Map<String, BigDecimal> total = new TreeMap<>();
    for (Container c : nullSafe(spec.getContainers())) {
      effectiveRequests(c.getResources()).forEach((k, v) -> total.merge(k, v, BigDecimal::add));
    }
    for (Container c : nullSafe(spec.getInitContainers())) {
      effectiveRequests(c.getResources()).forEach((k, v) -> total.merge(k, v, BigDecimal::max));
    }
    if (spec.getOverhead() != null) {
      amounts(spec.getOverhead()).forEach((k, v) -> total.merge(k, v, BigDecimal::add));
    }
    total.merge(PODS, BigDecimal.ONE, BigDecimal::add);
    return total;
  }

  static Map<String, BigDecimal> effectiveRequests(ResourceRequirements resources) {
    Map<String, BigDecimal> result = new TreeMap<>();
    if (resources != null) {
      if (resources.getLimits() != null) {
        result.putAll(amounts(resources.getLimits()));
      }
      if (resources.getRequests() != null) {
        result.putAll(amounts(resources.getRequests()));
      }
    }
    return result;
  }

  /**
   * True when {@code candidate} fits beside {@code occupied} within {@code allocatable}. A resource
   * the node does not have at all fits only when the pod requests none of it.
   */
  public static boolean fits(Map<String, BigDecimal> allocatable, Collection<Map<String, BigDecimal>> occupied,
      Map<String, BigDecimal> candidate) {
    for (Map.Entry<String, BigDecimal> want : candidate.entrySet()) {
      if (want.getValue().signum() == 0) {
        continue;
      }
      BigDecimal used = occupied.stream().map(m -> m.getOrDefault(want.getKey(), BigDecimal.ZERO))
          .reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal have = allocatable.getOrDefault(want.getKey(), BigDecimal.ZERO);
      if (used.add(want.getValue()).compareTo(have) > 0) {
        return false;
      }
    }
    return true;
  }

  public static Map<String, BigDecimal> amounts(Map<String, Quantity> quantities) {
    Map<String, BigDecimal> result = new TreeMap<>();
    quantities.forEach((k, q) -> result.put(k, Quantity.getAmountInBytes(q)));
    return result;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
