package io.pbtnas.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * When a member pod started (the report's timeline) and ended (retry backoff, the timeline): from its
 * status and container statuses, else its deletion time.
 */
public final class PodTimes {
    private PodTimes() {}

    /** When the kubelet started the pod (status.startTime), or null. */
    public static Instant startedAt(Pod pod) {
        return pod.getStatus() == null ? null : parse(pod.getStatus().getStartTime());
    }

    public static Instant finishedAt(Pod pod) {
        var status = pod.getStatus();
        if (status != null) {
            Stream<ContainerStatus> all = ContainerStatuses.inOrder(status);
            Instant latest = all.filter(cs -> cs.getState() != null && cs.getState().getTerminated() != null)
                    .map(cs -> parse(cs.getState().getTerminated().getFinishedAt()))
                    .filter(t -> t != null)
                    .max(Instant::compareTo).orElse(null);
            if (latest != null) {
                return latest;
            }
        }
        return parse(pod.getMetadata().getDeletionTimestamp());
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
