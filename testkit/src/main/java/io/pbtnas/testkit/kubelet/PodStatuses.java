package io.pbtnas.testkit.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIPBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pure construction of the pod status the kubelet writes back. */
final class PodStatuses {

  static final String LOCAL_IP = "127.0.0.1";

  private PodStatuses() {
  }

  static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  static ContainerState running(Instant startedAt) {
    return new ContainerStateBuilder().withNewRunning().withStartedAt(time(startedAt)).endRunning().build();
  }

  static ContainerState terminated(ContainerResult r) {
    return new ContainerStateBuilder().withNewTerminated()
        .withExitCode(r.exitCode()).withReason(r.reason())
        .withMessage(r.message() == null || r.message().isEmpty() ? null : r.message())
        .withStartedAt(time(r.startedAt())).withFinishedAt(time(r.finishedAt()))
        .endTerminated().build();
  }

  /**
   * @param initStates / mainStates state per container name (every container of the spec present)
   * @param initialized all init containers succeeded
   */
  static PodStatus build(String phase, Instant startTime, List<Container> initContainers,
      Map<String, ContainerState> initStates, List<Container> containers, Map<String, ContainerState> mainStates,
      boolean initialized, String reason, String message) {
    List<ContainerStatus> main = statuses(containers, mainStates);
    boolean allRunning = !main.isEmpty() && main.stream().allMatch(ContainerStatus::getReady);
    boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
    String notReadyReason = terminal ? "PodCompleted" : initialized ? "ContainersNotReady" : "ContainersNotInitialized";
    List<PodCondition> conditions = List.of(
        condition("PodScheduled", true, null, startTime),
        condition("Initialized", initialized, initialized ? null : "ContainersNotInitialized", startTime),
        condition("ContainersReady", allRunning, allRunning ? null : notReadyReason, startTime),
        condition("Ready", allRunning, allRunning ? null : notReadyReason, startTime));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions)
        .withHostIP(LOCAL_IP).withHostIPs(new HostIPBuilder().withIp(LOCAL_IP).build())
        .withPodIP(LOCAL_IP).withPodIPs(new PodIPBuilder().withIp(LOCAL_IP).build())
        .withStartTime(time(startTime))
        .withInitContainerStatuses(statuses(initContainers, initStates))
        .withContainerStatuses(main)
        .withReason(reason).withMessage(message)
        .build();
  }

  private static List<ContainerStatus> statuses(List<Container> containers, Map<String, ContainerState> states) {
    List<ContainerStatus> out = new ArrayList<>();
    for (Container c : containers) {
      ContainerState s = states.get(c.getName());
      boolean running = s != null && s.getRunning() != null;
      boolean started = s != null && (s.getRunning() != null || s.getTerminated() != null);
      out.add(new ContainerStatusBuilder()
          .withName(c.getName()).withImage(c.getImage()).withImageID("testkubelet://" + c.getImage())
          .withContainerID(started ? "testkubelet://" + c.getName() : null)
          .withReady(running).withStarted(running).withRestartCount(0)
          .withState(s)
          .build());
    }
    return out;
  }

  private static PodCondition condition(String type, boolean status, String reason, Instant at) {
    return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withLastTransitionTime(time(at)).build();
  }

  static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
