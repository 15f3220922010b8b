package io.pbtnas.testkit.kueue;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.testkit.PodRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Recorded pod versions replayed in order: after each, how many of the chosen pods hold quota
 * (ungated and not finished). One step a change, so a quota test can check the maximum and print
 * the trace. Its own reading of the gate and the phase, independent of the operator's.
 */
public record AdmittedTrace(List<Step> steps) {

  /** The pod whose version changed the count, what it was then, and the count after it. */
  public record Step(String pod, String state, long admitted) {
    @Override
    public String toString() {
      return pod + " " + state + " -> " + admitted + " admitted";
    }
  }

  public static AdmittedTrace of(List<PodRecorder.Seen> versions, Predicate<Pod> chosen) {
    Map<String, Pod> now = new LinkedHashMap<>();
    List<Step> steps = new ArrayList<>();
    long last = -1;
    for (PodRecorder.Seen v : versions) {
      if (!chosen.test(v.pod())) {
        continue;
      }
      String name = v.pod().getMetadata().getName();
      if (v.deleted()) {
        now.remove(name);
      } else {
        now.put(name, v.pod());
      }
      long admitted = now.values().stream().filter(AdmittedTrace::holdsQuota).count();
      if (admitted != last) {
        steps.add(new Step(name, v.deleted() ? "deleted" : state(v.pod()), admitted));
        last = admitted;
      }
    }
    return new AdmittedTrace(List.copyOf(steps));
  }

  /** The most pods that held quota at once. */
  public long max() {
    return steps.stream().mapToLong(Step::admitted).max().orElse(0);
  }

  public static boolean gated(Pod p) {
    return p.getSpec() != null && p.getSpec().getSchedulingGates() != null
        && p.getSpec().getSchedulingGates().stream().anyMatch(g -> TestKueue.ADMISSION_GATE.equals(g.getName()));
  }

  public static boolean holdsQuota(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !gated(p) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static String state(Pod p) {
    return gated(p) ? "gated" : p.getStatus() == null || p.getStatus().getPhase() == null ? "admitted"
        : p.getStatus().getPhase();
  }

  @Override
  public String toString() {
    return String.join("\n  ", steps.stream().map(Step::toString).toList());
  }
}
