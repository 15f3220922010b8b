package io.pbtnas.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.stream.Stream;

/** A pod's container statuses, init containers first, in the order they run; none before the kubelet reports. */
public final class ContainerStatuses {
    private ContainerStatuses() {
    }

    public static Stream<ContainerStatus> inOrder(PodStatus status) {
        if (status == null) {
            return Stream.empty();
        }
        return Stream.concat(
                status.getInitContainerStatuses() == null ? Stream.empty() : status.getInitContainerStatuses().stream(),
                status.getContainerStatuses() == null ? Stream.empty() : status.getContainerStatuses().stream());
    }
}
