package io.pbtnas.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;

/**
 * The pod that writes {@code best/}, {@code history.json} and {@code report.html} once the search is
 * complete: {@code pbtnas export} (the cli's ExportCommand) on the search's directory or bucket root, reading the
 * search (spec and status) from the file of {@link ExportInput}'s ConfigMap, which is created first.
 * Owned by the search; its name is fixed by the attempt, so a restarted operator finds it. Pure.
 */
public final class ExportPods {
    private final OperatorConfig.Settings config;

    public ExportPods(OperatorConfig.Settings config) {
        this.config = config;
    }

    public Pod build(PbtNasSearch search, SearchSpec spec, int attempt) {
        String name = search.getMetadata().getName();
        StorageBackend.OneContainerPod step = StorageBackend.of(search, spec, config).export(ExportInput.file(),
                new VolumeMountBuilder().withName(ExportInput.VOLUME).withMountPath(ExportInput.MOUNT_PATH)
                        .withReadOnly(true).build());
        Pod pod = new PodBuilder()
                .withMetadata(PodSettings.ownedMetadata(search, spec, PodLabels.exportPodName(name, attempt),
                        PodLabels.export(name, attempt)))
                .withSpec(PodSettings.podSpec(spec, step.volumes()))
                .editSpec()
                    .addNewVolume()
                        .withName(ExportInput.VOLUME)
                        .withNewConfigMap().withName(ExportInput.configMapName(name)).endConfigMap()
                    .endVolume()
                    .addToContainers(step.container())
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, ContainerNames.OPERATOR_IMAGE);
    }
}
