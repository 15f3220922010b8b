package io.pbtnas.operator.pods;

import static io.pbtnas.operator.pods.ContainerTemplate.container;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Retention;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.pod.EnvValueFrom;
import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.core.pod.StepTimeout;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A member's training step as one pod: {@code search-dir} (generation 0), {@code mix} (replaced members),
 * the {@code trainer} as the last init container, then {@code verify} as the main container, so that the
 * pod succeeds only when its outputs passed the contract's checks. Pure: spec in, pod out.
 */
public final class MemberPods {
    private final OperatorConfig.Settings config;

    public MemberPods(OperatorConfig.Settings config) {
        this.config = config;
    }

    public Pod build(PbtNasSearch search, SearchSpec spec, Action.Train train) {
        String name = search.getMetadata().getName();
        TrainerSpec trainer = spec.trainer();
        String mount = config.volumeMountPath();
        List<Container> init = new ArrayList<>();
        if (train.inputCheckpoint() == null) {
            init.add(searchDirContainer(search, trainer.imagePullPolicy()));
        }
        if (train.mix() != null) {
            init.add(container(ContainerNames.MIX, config.image(), trainer.imagePullPolicy())
                    .withCommand(PbtnasCommands.command())
                    .withArgs(PbtnasCommands.mix(train.mix(), spec.searchSpace(), mount))
                    .withVolumeMounts(PodSettings.searchFolderMount(search, mount))
                    .build());
        }
        Pod pod = new PodBuilder()
                .withMetadata(PodSettings.ownedMetadata(search, spec,
                        PodLabels.memberPodName(name, train.member(), train.generation(), train.attempt()),
                        PodLabels.member(name, train.member(), train.generation(), train.attempt())))
                .withSpec(PodSettings.podSpec(spec))
                .editMetadata()
                    // kubectl logs shows the trainer, not the check after it.
                    .addToAnnotations(ReservedNames.DEFAULT_CONTAINER_ANNOTATION, ContainerNames.TRAINER)
                    // Kueue queues member pods only: export and cleanup pods use no GPU quota.
                    .addToLabels(KueueLabels.of(search))
                .endMetadata()
                .editSpec()
                    .withAutomountServiceAccountToken(trainerMayCallTheApi(trainer))
                    .addAllToVolumes(volumes(trainer))
                    .withInitContainers(init)
                    .addToInitContainers(trainerContainer(search, spec, train))
                    .withContainers(verifyContainer(search, spec, train))
                    // spec.trainer.stepTimeout bounds the whole step; the kubelet fails the pod (DeadlineExceeded).
                    .withActiveDeadlineSeconds(StepTimeout.seconds(trainer.stepTimeout()).isPresent()
                            ? StepTimeout.seconds(trainer.stepTimeout()).getAsLong() : null)
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, List.of(ContainerNames.SEARCH_DIR, ContainerNames.MIX,
                ContainerNames.VERIFY));
    }

    private Container trainerContainer(PbtNasSearch search, SearchSpec spec, Action.Train train) {
        TrainerSpec trainer = spec.trainer();
        String mount = config.volumeMountPath();
        Map<String, String> env = new LinkedHashMap<>();
        if (trainer.env() != null) {
            // SpecValidator rejects contract names here; the contract's values below win regardless.
            env.putAll(trainer.env());
        }
        env.putAll(TrainerContract.environment(TrainerContract.train(spec, train,
                relative -> VolumePaths.onVolume(mount, relative), ReservedNames.TERMINATION_LOG)));
        List<EnvVar> envVars = new ArrayList<>(env.entrySet().stream()
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList());
        envVars.addAll(valueFromVars(trainer));
        List<VolumeMount> mounts = new ArrayList<>(List.of(PodSettings.searchFolderMount(search, mount)));
        if (trainer.volumeMounts() != null) {
            trainer.volumeMounts().forEach(m -> mounts.add(new VolumeMountBuilder().withName(m.name())
                    .withMountPath(m.mountPath()).withReadOnly(m.readOnly()).withSubPath(m.subPath()).build()));
        }
        ContainerBuilder main = container(ContainerNames.TRAINER, trainer.image(), trainer.imagePullPolicy())
                .withEnv(envVars)
                .withResources(resources(trainer))
                .withVolumeMounts(mounts);
        if (trainer.command() != null && !trainer.command().isEmpty()) {
            main.withCommand(trainer.command());
        }
        return main.build();
    }

    /**
     * {@code pbtnas verify} on the step's output directory: the trainer contract's output checks; then,
     * with storage.keepGenerations, it deletes this member's step folders that the search's persisted
     * status no longer needs ({@link Retention}): the operator has no volume, each member pod prunes its slot.
     */
    private Container verifyContainer(PbtNasSearch search, SearchSpec spec, Action.Train train) {
        String mount = config.volumeMountPath();
        List<String> prune = prunable(search.getStatus(), spec, train.member()).stream()
                .map(folder -> VolumePaths.onVolume(mount, folder)).toList();
        return container(ContainerNames.VERIFY, config.image(), spec.trainer().imagePullPolicy())
                .withCommand(PbtnasCommands.command())
                .withArgs(PbtnasCommands.verify(VolumePaths.onVolume(mount, train.outputDir()),
                        train.genome().toJson(), train.epochTo(), prune))
                .withVolumeMounts(PodSettings.searchFolderMount(search, mount))
                .build();
    }

    /** The member's step folders the persisted status allows deleting (none without keepGenerations). */
    public static List<String> prunable(SearchStatus persisted, SearchSpec spec, int member) {
        Integer keep = spec.storage() == null ? null : spec.storage().keepGenerations();
        if (keep == null || keep < 1 || persisted == null
                || persisted.members().stream().noneMatch(m -> m.id() != null && m.id() == member)) {
            return List.of();
        }
        return Retention.prunable(persisted, keep, member);
    }

    /**
     * Creates the search's directory as the pod's own (non-root) user before any container mounts it
     * as a subPath. A member that starts from nothing may be the first to touch the search's directory,
     * and the kubelet creates a missing subPath directory as root (mode of the volume root, minus its
     * umask), which the trainer's uid then cannot write into. This container mounts the volume root
     * instead, so the volume root must be writable by that uid (or by its fsGroup).
     */
    private Container searchDirContainer(PbtNasSearch search, String pullPolicy) {
        return container(ContainerNames.SEARCH_DIR, config.image(), pullPolicy)
                .withCommand("mkdir", "-p", "--", ReservedNames.VOLUME_ROOT_PATH + "/" + VolumePaths.searchFolder(search))
                .withVolumeMounts(new VolumeMountBuilder().withName(ReservedNames.CHECKPOINT_VOLUME)
                        .withMountPath(ReservedNames.VOLUME_ROOT_PATH).build())
                .build();
    }

    /**
     * The one place that decides which pods get a service-account token: none of pbtnas's own pods
     * (search-dir, mix, verify, export, cleanup) calls the API, so no pod gets one (see PodSettings), except a
     * member pod whose spec names a service account: that trainer may call the API on purpose.
     */
    static boolean trainerMayCallTheApi(TrainerSpec trainer) {
        return trainer.serviceAccountName() != null && !trainer.serviceAccountName().isEmpty();
    }

    /** spec.trainer.envValueFrom: the kubelet reads each value from its Secret or ConfigMap key. */
    private static List<EnvVar> valueFromVars(TrainerSpec trainer) {
        if (trainer.envValueFrom() == null) {
            return List.of();
        }
        return trainer.envValueFrom().stream().map(e -> {
            EnvValueFrom.KeyRef s = e.valueFrom().secretKeyRef();
            EnvValueFrom.KeyRef c = e.valueFrom().configMapKeyRef();
            EnvVarSourceBuilder source = new EnvVarSourceBuilder();
            if (s != null) {
                source.withSecretKeyRef(new SecretKeySelector(s.key(), s.name(), s.optional()));
            } else {
                source.withConfigMapKeyRef(new ConfigMapKeySelector(c.key(), c.name(), c.optional()));
            }
            return new EnvVar(e.name(), null, source.build());
        }).toList();
    }

    private static List<Volume> volumes(TrainerSpec trainer) {
        if (trainer.volumes() == null) {
            return List.of();
        }
        return trainer.volumes().stream().map(v -> PodSettings.KUBERNETES_MODEL.convertValue(v, Volume.class)).toList();
    }

    private static ResourceRequirements resources(TrainerSpec trainer) {
        ResourceRequirements r = new ResourceRequirements();
        if (trainer.resources() != null) {
            r.setRequests(quantities(trainer.resources().requests()));
            r.setLimits(quantities(trainer.resources().limits()));
        }
        return r;
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> out.put(k, new Quantity(v)));
        }
        return out;
    }
}
