package io.pbtnas.operator.pods;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.pbtnas.core.pod.ReservedNames;

/**
 * What every container pbtnas builds shares: a name, an image and the termination message, which falls
 * back to the last log lines so that a container that dies before writing its message still says why.
 * Security settings are added to whole pods by {@link PodSecurity}.
 */
final class ContainerTemplate {
    private ContainerTemplate() {
    }

    static ContainerBuilder container(String name, String image, String pullPolicy) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(image)
                .withImagePullPolicy(pullPolicy)
                .withTerminationMessagePath(ReservedNames.TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError");
    }
}
