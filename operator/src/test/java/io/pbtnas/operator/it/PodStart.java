package io.pbtnas.operator.it;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;

/** Start and finish times the test kubelet wrote into a pod's container statuses. */
final class PodStart {
    private PodStart() {}

    static Instant of(Pod pod) {
        var cs = pod.getStatus().getContainerStatuses().get(0);
        return Instant.parse(cs.getState().getTerminated().getStartedAt());
    }

    static Instant finished(Pod pod) {
        var cs = pod.getStatus().getContainerStatuses().get(0);
        return Instant.parse(cs.getState().getTerminated().getFinishedAt());
    }
}
