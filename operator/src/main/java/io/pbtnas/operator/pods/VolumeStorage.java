package io.pbtnas.operator.pods;

import static io.pbtnas.operator.pods.ContainerTemplate.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.storage.persistentVolumeClaim: every pod mounts the search's folder of the shared volume
 * (subPath {@code <namespace>/<search>-<uid8>}); a step's input and output are files on it, and
 * {@code verify} publishing on it is a rename that never replaces.
 */
final class VolumeStorage implements StorageBackend {
    private final PbtNasSearch search;
    private final SearchSpec spec;
    private final OperatorConfig.Settings config;

    VolumeStorage(PbtNasSearch search, SearchSpec spec, OperatorConfig.Settings config) {
        this.search = search;
        this.spec = spec;
        this.config = config;
    }

    @Override
    public Volume checkpointVolume() {
        return new VolumeBuilder().withName(ReservedNames.CHECKPOINT_VOLUME)
                .withNewPersistentVolumeClaim(spec.storage().persistentVolumeClaim().claimName(), false).build();
    }

    @Override
    public VolumeMount searchRootMount() {
        return new VolumeMountBuilder()
                .withName(ReservedNames.CHECKPOINT_VOLUME)
                .withMountPath(config.volumeMountPath())
                .withSubPath(VolumePaths.searchFolder(search))
                .build();
    }

    @Override
    public List<Container> beforeTrainer(Action.Train train, String pullPolicy) {
        List<Container> out = new ArrayList<>();
        if (train.inputCheckpoint() == null) {
            out.add(searchDirContainer(pullPolicy));
        }
        if (train.mix() != null) {
            out.add(container(ContainerNames.MIX, config.image(), pullPolicy)
                    .withCommand(PbtnasCommands.command())
                    .withArgs(PbtnasCommands.mix(train.mix(), spec.searchSpace(), config.volumeMountPath(), null))
                    .withVolumeMounts(searchRootMount())
                    .build());
        }
        return out;
    }

    @Override
    public Container verify(Action.Train train, List<String> prunable, String pullPolicy) {
        String mount = config.volumeMountPath();
        return container(ContainerNames.VERIFY, config.image(), pullPolicy)
                .withCommand(PbtnasCommands.command())
                .withArgs(PbtnasCommands.verify(VolumePaths.onVolume(mount, train.outputDir()),
                        train.genome().toJson(), train.epochTo(), null,
                        prunable.stream().map(folder -> VolumePaths.onVolume(mount, folder)).toList()))
                .withVolumeMounts(searchRootMount())
                .build();
    }

    @Override
    public OneContainerPod export(String searchFile, VolumeMount searchFileMount) {
        return new OneContainerPod(container(ContainerNames.EXPORT, config.image(), null)
                .withCommand(PbtnasCommands.command())
                .withArgs(PbtnasCommands.export(config.volumeMountPath(), searchFile))
                .withVolumeMounts(searchRootMount(), searchFileMount)
                .build(), List.of(checkpointVolume()));
    }

    /** Mounts the namespace's folder and removes the search's own folder below it. */
    @Override
    public OneContainerPod cleanup() {
        String ns = search.getMetadata().getNamespace();
        String target = VolumePaths.onVolume(config.volumeMountPath(), VolumePaths.searchDirName(search));
        Container c = container(ContainerNames.CLEANUP, config.image(), null)
                .withCommand("sh", "-c", "rm -rf -- \"$PBTNAS_DELETE\"")
                .withEnv(new EnvVar("PBTNAS_DELETE", target, null))
                .withVolumeMounts(new VolumeMountBuilder().withName(ReservedNames.CHECKPOINT_VOLUME)
                        .withMountPath(config.volumeMountPath()).withSubPath(ns).build())
                .build();
        return new OneContainerPod(c, List.of(checkpointVolume()));
    }

    /**
     * Creates the search's directory as the pod's own (non-root) user before any container mounts it
     * as a subPath. A member that starts from nothing may be the first to touch the search's directory,
     * and the kubelet creates a missing subPath directory as root (mode of the volume root, minus its
     * umask), which the trainer's uid then cannot write into. This container mounts the volume root
     * instead, so the volume root must be writable by that uid (or by its fsGroup).
     */
    private Container searchDirContainer(String pullPolicy) {
        return container(ContainerNames.SEARCH_DIR, config.image(), pullPolicy)
                .withCommand("mkdir", "-p", "--", ReservedNames.VOLUME_ROOT_PATH + "/" + VolumePaths.searchFolder(search))
                .withVolumeMounts(new VolumeMountBuilder().withName(ReservedNames.CHECKPOINT_VOLUME)
                        .withMountPath(ReservedNames.VOLUME_ROOT_PATH).build())
                .build();
    }
}
