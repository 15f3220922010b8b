package io.pbtnas.operator.it;

import io.pbtnas.operator.pods.ContainerNames;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.stream.Stream;

/** Start and finish times the test kubelet wrote into a member pod's trainer container status. */
final class PodStart {
    private PodStart() {}

    static Instant of(Pod pod) {
        return Instant.parse(trainer(pod).getStartedAt());
    }

    static Instant finished(Pod pod) {
        return Instant.parse(trainer(pod).getFinishedAt());
    }

    /** The trainer runs as an init container, before the verify container. */
    static ContainerStateTerminated trainer(Pod pod) {
        var s = pod.getStatus();
        return Stream.concat(s.getInitContainerStatuses() == null ? Stream.<ContainerStatus>empty()
                                : s.getInitContainerStatuses().stream(),
                        s.getContainerStatuses() == null ? Stream.<ContainerStatus>empty()
                                : s.getContainerStatuses().stream())
                .filter(cs -> ContainerNames.TRAINER.equals(cs.getName()) && cs.getState() != null
                        && cs.getState().getTerminated() != null)
                .map(cs -> cs.getState().getTerminated())
                .findFirst().orElseThrow(() -> new AssertionError("no finished trainer on "
                        + pod.getMetadata().getName()));
    }
}
