package io.pbtnas.operator.pods;

import static io.pbtnas.operator.pods.ContainerTemplate.container;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.List;

/**
 * The pod that writes {@code best/}, {@code history.json} and {@code report.html} once the search is
 * complete: {@code pbtnas export} (the cli's ExportCommand) on the search's directory, reading the
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
        Pod pod = new PodBuilder()
                .withMetadata(PodSettings.ownedMetadata(search, spec, PodLabels.exportPodName(name, attempt),
                        PodLabels.export(name, attempt)))
                .withSpec(PodSettings.podSpec(spec))
                .editSpec()
                    .addNewVolume()
                        .withName(ExportInput.VOLUME)
                        .withNewConfigMap().withName(ExportInput.configMapName(name)).endConfigMap()
                    .endVolume()
                    .addToContainers(container(ContainerNames.EXPORT, config.image(), null)
                        .withCommand(PbtnasCommands.command())
                        .withArgs(PbtnasCommands.export(config.volumeMountPath(), ExportInput.file()))
                        .withVolumeMounts(PodSettings.searchFolderMount(search, config.volumeMountPath()),
                                new VolumeMountBuilder().withName(ExportInput.VOLUME)
                                        .withMountPath(ExportInput.MOUNT_PATH).withReadOnly(true).build())
                        .build())
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, List.of(ContainerNames.EXPORT));
    }
}
