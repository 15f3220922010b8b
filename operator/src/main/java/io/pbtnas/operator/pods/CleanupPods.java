package io.pbtnas.operator.pods;

import static io.pbtnas.operator.pods.ContainerTemplate.container;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.List;
import java.util.Map;

/**
 * The pod that deletes a search's checkpoints (retention: delete). It has no owner reference: it must
 * outlive the search it cleans up after. It mounts the namespace's folder and removes the search's own
 * folder below it. Pure.
 */
public final class CleanupPods {
    private final OperatorConfig.Settings config;

    public CleanupPods(OperatorConfig.Settings config) {
        this.config = config;
    }

    public Pod build(PbtNasSearch search, SearchSpec spec) {
        String name = search.getMetadata().getName();
        String ns = search.getMetadata().getNamespace();
        String target = VolumePaths.onVolume(config.volumeMountPath(), VolumePaths.searchDirName(search));
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(PodLabels.cleanupPodName(name))
                    .withNamespace(ns)
                    .withLabels(PodSettings.labels(spec.trainer(), Map.of(PodLabels.SEARCH, name, PodLabels.ROLE,
                            PodLabels.ROLE_CLEANUP)))
                    .withAnnotations(spec.trainer().annotations())
                .endMetadata()
                .withSpec(PodSettings.podSpec(spec))
                .editSpec()
                    .addToContainers(container(ContainerNames.CLEANUP, config.image(), null)
                        .withCommand("sh", "-c", "rm -rf -- \"$PBTNAS_DELETE\"")
                        .withEnv(new EnvVar("PBTNAS_DELETE", target, null))
                        .withVolumeMounts(new VolumeMountBuilder().withName(ReservedNames.CHECKPOINT_VOLUME)
                                .withMountPath(config.volumeMountPath()).withSubPath(ns).build())
                        .build())
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, List.of(ContainerNames.CLEANUP));
    }
}
