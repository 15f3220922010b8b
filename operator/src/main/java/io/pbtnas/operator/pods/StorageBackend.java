package io.pbtnas.operator.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.List;

/**
 * Where a search's checkpoints live (spec.storage), as what its pods mount and run around the trainer:
 * the one place the member, export and cleanup pod builders ask, so none of them tests which back end it
 * is. The trainer contract is the same on both: the trainer reads and writes local files under the
 * search root's mount. Pure.
 */
public sealed interface StorageBackend permits VolumeStorage, BucketStorage {

    static StorageBackend of(PbtNasSearch search, SearchSpec spec, OperatorConfig.Settings config) {
        return spec.storage() != null && spec.storage().s3() != null
                ? new BucketStorage(search, spec, config)
                : new VolumeStorage(search, spec, config);
    }

    /** The checkpoint volume of member pods: the claim, or an emptyDir work folder. */
    Volume checkpointVolume();

    /** The search root as the trainer, mix, stage and verify containers see it. */
    VolumeMount searchRootMount();

    /** The containers before the trainer: the input of the step (the search's folder, a mix, a staged checkpoint). */
    List<Container> beforeTrainer(Action.Train train, String pullPolicy);

    /** The publishing step after the trainer: {@code pbtnas verify} (then, on a bucket, the upload). */
    Container verify(Action.Train train, List<String> prunable, String pullPolicy);

    /** The export pod's container, reading the search from {@code searchFile}, and the volumes it needs. */
    OneContainerPod export(String searchFile, VolumeMount searchFileMount);

    /** The cleanup pod's container and volumes (retention: delete). */
    OneContainerPod cleanup();

    /** What a one-container pod (export, cleanup) runs: the container and only the volumes it mounts. */
    record OneContainerPod(Container container, List<Volume> volumes) {
    }
}
