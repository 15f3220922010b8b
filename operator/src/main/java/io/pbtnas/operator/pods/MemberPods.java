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
 * A member's training step as one pod: the step's input from the {@link StorageBackend} ({@code search-dir}
 * and {@code mix} on a volume; {@code stage} or {@code mix} from a bucket), the {@code trainer} as the last
 * init container, then {@code verify} as the main container, so that the pod succeeds only when its outputs
 * passed the contract's checks (and, on a bucket, are uploaded). Pure: spec in, pod out.
 */
public final class MemberPods {
    private final OperatorConfig.Settings config;

    public MemberPods(OperatorConfig.Settings config) {
        this.config = config;
    }

    public Pod build(PbtNasSearch search, SearchSpec spec, Action.Train train) {
        String name = search.getMetadata().getName();
        TrainerSpec trainer = spec.trainer();
        StorageBackend storage = StorageBackend.of(search, spec, config);
        Pod pod = new PodBuilder()
                .withMetadata(PodSettings.ownedMetadata(search, spec,
                        PodLabels.memberPodName(name, train.member(), train.generation(), train.attempt()),
                        PodLabels.member(name, train.member(), train.generation(), train.attempt())))
                .withSpec(PodSettings.podSpec(spec, storage))
                .editMetadata()
                    // kubectl logs shows the trainer, not the check after it.
                    .addToAnnotations(ReservedNames.DEFAULT_CONTAINER_ANNOTATION, ContainerNames.TRAINER)
                    // Kueue queues member pods only: export and cleanup pods use no GPU quota.
                    .addToLabels(KueueLabels.of(search))
                .endMetadata()
                .editSpec()
                    .withAutomountServiceAccountToken(trainerMayCallTheApi(trainer))
                    .addAllToVolumes(volumes(trainer))
                    .withInitContainers(storage.beforeTrainer(train, trainer.imagePullPolicy()))
                    .addToInitContainers(trainerContainer(spec, train, storage))
                    .withContainers(storage.verify(train, prunable(search.getStatus(), spec, train.member()),
                            trainer.imagePullPolicy()))
                    // spec.trainer.stepTimeout bounds the whole step; the kubelet fails the pod (DeadlineExceeded).
                    .withActiveDeadlineSeconds(StepTimeout.seconds(trainer.stepTimeout()).isPresent()
                            ? StepTimeout.seconds(trainer.stepTimeout()).getAsLong() : null)
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, ContainerNames.OPERATOR_IMAGE);
    }

    private Container trainerContainer(SearchSpec spec, Action.Train train, StorageBackend storage) {
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
        List<VolumeMount> mounts = new ArrayList<>(List.of(storage.searchRootMount()));
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
