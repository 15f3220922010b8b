package io.pbtnas.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.Map;

/**
 * The pod that deletes a search's checkpoints (retention: delete): the search's folder on the volume, or
 * its objects in the bucket ({@link StorageBackend#cleanup}). It has no owner reference: it must outlive
 * the search it cleans up after. Pure.
 */
public final class CleanupPods {
    private final OperatorConfig.Settings config;

    public CleanupPods(OperatorConfig.Settings config) {
        this.config = config;
    }

    public Pod build(PbtNasSearch search, SearchSpec spec) {
        String name = search.getMetadata().getName();
        StorageBackend.OneContainerPod step = StorageBackend.of(search, spec, config).cleanup();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(PodLabels.cleanupPodName(name))
                    .withNamespace(search.getMetadata().getNamespace())
                    .withLabels(PodSettings.labels(spec.trainer(), Map.of(PodLabels.SEARCH, name, PodLabels.ROLE,
                            PodLabels.ROLE_CLEANUP)))
                    .withAnnotations(spec.trainer().annotations())
                .endMetadata()
                .withSpec(PodSettings.podSpec(spec, step.volumes()))
                .editSpec()
                    .addToContainers(step.container())
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, ContainerNames.OPERATOR_IMAGE);
    }
}
