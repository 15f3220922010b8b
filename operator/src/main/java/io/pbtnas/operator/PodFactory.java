package io.pbtnas.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.contract.TrainerContract;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.Retention;
import io.pbtnas.core.model.EnvValueFrom;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.StepTimeout;
import io.pbtnas.core.model.TrainerPodRules;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the pods of a search: a member's training step, the export, the cleanup (pure: spec in, pod out). */
public final class PodFactory {
    public static final String TRAINER = "trainer";
    public static final String MIX = "mix";
    public static final String CLEANUP = "cleanup";
    public static final String EXPORT = "export";
    public static final String SEARCH_DIR = "search-dir";
    public static final String VERIFY = "verify";
    public static final String VOLUME = TrainerPodRules.CHECKPOINT_VOLUME;
    public static final String TERMINATION_LOG = TrainerPodRules.TERMINATION_LOG;
    /** spec.trainer.affinity and volumes are plain JSON in core; the Kubernetes model reads them. */
    private static final ObjectMapper KUBERNETES_MODEL = new ObjectMapper();

    private final OperatorConfig.Settings config;

    public PodFactory(OperatorConfig.Settings config) {
        this.config = config;
    }

    public Pod memberPod(PbtNasSearch search, SearchSpec spec, Action.Train train) {
        String name = search.getMetadata().getName();
        TrainerSpec trainer = spec.trainer();
        SearchSpace space = spec.searchSpace();
        String mount = config.volumeMountPath();

        List<Container> init = new ArrayList<>();
        if (train.inputCheckpoint() == null) {
            init.add(searchDirContainer(search, trainer.imagePullPolicy()));
        }
        if (train.mix() != null) {
            init.add(new ContainerBuilder()
                    .withName(MIX)
                    .withImage(config.image())
                    .withImagePullPolicy(trainer.imagePullPolicy())
                    .withCommand(MixCommandLine.command())
                    .withArgs(MixCommandLine.args(train.mix(), space, mount))
                    .withVolumeMounts(volumeMount(search))
                    .withTerminationMessagePath(TERMINATION_LOG)
                    .withTerminationMessagePolicy("FallbackToLogsOnError")
                    .build());
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (trainer.env() != null) {
            // SpecValidator rejects contract names here; the contract's values below win regardless.
            env.putAll(trainer.env());
        }
        env.putAll(TrainerContract.environment(TrainerContract.train(spec, train,
                relative -> MixCommandLine.onVolume(mount, relative), TERMINATION_LOG)));

        List<EnvVar> envVars = new ArrayList<>(env.entrySet().stream()
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList());
        envVars.addAll(valueFromVars(trainer));
        List<VolumeMount> mounts = new ArrayList<>(List.of(volumeMount(search)));
        if (trainer.volumeMounts() != null) {
            trainer.volumeMounts().forEach(m -> mounts.add(new VolumeMountBuilder().withName(m.name())
                    .withMountPath(m.mountPath()).withReadOnly(m.readOnly()).withSubPath(m.subPath()).build()));
        }
        ContainerBuilder main = new ContainerBuilder()
                .withName(TRAINER)
                .withImage(trainer.image())
                .withImagePullPolicy(trainer.imagePullPolicy())
                .withEnv(envVars)
                .withResources(resources(trainer))
                .withVolumeMounts(mounts)
                .withTerminationMessagePath(TERMINATION_LOG)
                // A trainer that dies before writing its score still explains why (its last log lines).
                .withTerminationMessagePolicy("FallbackToLogsOnError");
        if (trainer.command() != null && !trainer.command().isEmpty()) {
            main.withCommand(trainer.command());
        }

        Pod pod = new PodBuilder()
                .withMetadata(ownedMetadata(search, spec,
                        PodLabels.memberPodName(name, train.member(), train.generation(), train.attempt()),
                        PodLabels.member(name, train.member(), train.generation(), train.attempt())))
                .withSpec(podSpec(spec))
                .editMetadata()
                    // kubectl logs shows the trainer, not the check after it.
                    .addToAnnotations(TrainerPodRules.DEFAULT_CONTAINER_ANNOTATION, TRAINER)
                .endMetadata()
                .editSpec()
                    .withAutomountServiceAccountToken(trainerMayCallTheApi(trainer))
                    .addAllToVolumes(volumes(trainer))
                    // The trainer runs as the last init container so that the pod succeeds only when
                    // `pbtnas verify` (the main container) found its outputs valid: a result counts only then.
                    .withInitContainers(init)
                    .addToInitContainers(main.build())
                    .withContainers(verifyContainer(search, spec, train, mount, trainer))
                    // spec.trainer.stepTimeout bounds the whole step; the kubelet fails the pod (DeadlineExceeded).
                    .withActiveDeadlineSeconds(StepTimeout.seconds(trainer.stepTimeout()).isPresent()
                            ? StepTimeout.seconds(trainer.stepTimeout()).getAsLong() : null)
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, List.of(SEARCH_DIR, MIX, VERIFY));
    }

    /**
     * {@code pbtnas verify} on the step's output directory: the trainer contract's output checks; then,
     * with storage.keepGenerations, it deletes this member's step folders that the search's persisted
     * status no longer needs ({@link Retention}): the operator has no volume, each member pod prunes its slot.
     */
    private Container verifyContainer(PbtNasSearch search, SearchSpec spec, Action.Train train, String mount,
                                      TrainerSpec trainer) {
        List<String> args = new ArrayList<>(List.of("verify", "--dir", MixCommandLine.onVolume(mount,
                train.outputDir()), "--genome", train.genome().toJson(), "--epoch", Integer.toString(train.epochTo()),
                "--termination-log", TERMINATION_LOG));
        for (String folder : prunable(search.getStatus(), spec, train.member())) {
            args.add("--prune");
            args.add(MixCommandLine.onVolume(mount, folder));
        }
        return new ContainerBuilder()
                .withName(VERIFY)
                .withImage(config.image())
                .withImagePullPolicy(trainer.imagePullPolicy())
                .withCommand(MixCommandLine.command())
                .withArgs(args)
                .withVolumeMounts(volumeMount(search))
                .withTerminationMessagePath(TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    /** The member's step folders the persisted status allows deleting (none without keepGenerations). */
    static List<String> prunable(SearchStatus persisted, SearchSpec spec, int member) {
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
        return new ContainerBuilder()
                .withName(SEARCH_DIR)
                .withImage(config.image())
                .withImagePullPolicy(pullPolicy)
                .withCommand("mkdir", "-p", "--", SearchVolume.VOLUME_ROOT + "/" + SearchVolume.subPath(search))
                .withVolumeMounts(new VolumeMountBuilder().withName(VOLUME).withMountPath(SearchVolume.VOLUME_ROOT)
                        .build())
                .withTerminationMessagePath(TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    /**
     * The pod that writes {@code best/}, {@code history.json} and {@code report.html} once the search is
     * complete: {@code pbtnas export} (the cli's ExportCommand) on the search's directory, reading the
     * search (spec and status) from the file of {@link ExportInput}'s ConfigMap, which the operator creates
     * first. Owned by the search; its name is fixed by the attempt, so a restarted operator finds it.
     */
    public Pod exportPod(PbtNasSearch search, SearchSpec spec, int attempt) {
        String name = search.getMetadata().getName();
        Pod pod = new PodBuilder()
                .withMetadata(ownedMetadata(search, spec, PodLabels.exportPodName(name, attempt),
                        PodLabels.export(name, attempt)))
                .withSpec(podSpec(spec))
                .editSpec()
                    .addNewVolume()
                        .withName(ExportInput.VOLUME)
                        .withNewConfigMap().withName(ExportInput.configMapName(name)).endConfigMap()
                    .endVolume()
                    .addNewContainer()
                        .withName(EXPORT)
                        .withImage(config.image())
                        .withCommand(MixCommandLine.command())
                        .withArgs("export", "--root", config.volumeMountPath(), "--search", ExportInput.file())
                        .withVolumeMounts(volumeMount(search), new VolumeMountBuilder().withName(ExportInput.VOLUME)
                                .withMountPath(ExportInput.MOUNT_PATH).withReadOnly(true).build())
                        .withTerminationMessagePath(TERMINATION_LOG)
                        .withTerminationMessagePolicy("FallbackToLogsOnError")
                    .endContainer()
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, List.of(EXPORT));
    }

    /**
     * The pod that deletes a search's checkpoints (retention: delete). It has no owner reference:
     * it must outlive the search it cleans up after. It mounts the namespace directory and removes
     * the search's own directory below it.
     */
    public Pod cleanupPod(PbtNasSearch search, SearchSpec spec) {
        String name = search.getMetadata().getName();
        String ns = search.getMetadata().getNamespace();
        String target = MixCommandLine.onVolume(config.volumeMountPath(), SearchVolume.directoryName(search));
        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(PodLabels.cleanupPodName(name))
                    .withNamespace(ns)
                    .withLabels(labels(spec.trainer(), Map.of(PodLabels.SEARCH, name, PodLabels.ROLE,
                            PodLabels.ROLE_CLEANUP)))
                    .withAnnotations(spec.trainer().annotations())
                .endMetadata()
                .withSpec(podSpec(spec))
                .editSpec()
                    .addNewContainer()
                        .withName(CLEANUP)
                        .withImage(config.image())
                        .withCommand("sh", "-c", "rm -rf -- \"$PBTNAS_DELETE\"")
                        .withEnv(new EnvVar("PBTNAS_DELETE", target, null))
                        .withVolumeMounts(new VolumeMountBuilder().withName(VOLUME)
                                .withMountPath(config.volumeMountPath()).withSubPath(ns).build())
                    .endContainer()
                .endSpec()
                .build();
        return PodSecurity.apply(pod, config, List.of(CLEANUP));
    }

    private static ObjectMeta ownedMetadata(PbtNasSearch search, SearchSpec spec, String podName,
            Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(podName)
                .withNamespace(search.getMetadata().getNamespace())
                .withLabels(labels(spec.trainer(), labels))
                .withAnnotations(spec.trainer().annotations() == null ? null : new HashMap<>(spec.trainer().annotations()))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(search.getApiVersion()).withKind(search.getKind())
                        .withName(search.getMetadata().getName()).withUid(search.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build();
    }

    /** spec.trainer.labels with ours on top (SpecValidator refuses a user label under pbtnas.io/). */
    private static Map<String, String> labels(TrainerSpec trainer, Map<String, String> ours) {
        Map<String, String> all = new LinkedHashMap<>();
        if (trainer.labels() != null) {
            all.putAll(trainer.labels());
        }
        all.putAll(ours);
        return all;
    }

    /**
     * The one place that decides which pods get a service-account token: none of pbtnas's own pods
     * (search-dir, mix, verify, export, cleanup) calls the API, so no pod gets one (see podSpec), except a
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
        return trainer.volumes().stream().map(v -> KUBERNETES_MODEL.convertValue(v, Volume.class)).toList();
    }

    /** What every pod of a search shares: scheduling and pull settings from spec.trainer, the volume. */
    private static PodSpec podSpec(SearchSpec spec) {
        TrainerSpec trainer = spec.trainer();
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withServiceAccountName(trainer.serviceAccountName())
                // No API token unless a member's trainer asks for one (trainerMayCallTheApi).
                .withAutomountServiceAccountToken(false)
                .withPriorityClassName(trainer.priorityClassName())
                .withAffinity(trainer.affinity() == null ? null
                        : KUBERNETES_MODEL.convertValue(trainer.affinity(), Affinity.class))
                .withImagePullSecrets(trainer.imagePullSecrets() == null ? List.of()
                        : trainer.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
                .withNodeSelector(trainer.nodeSelector())
                .withTolerations(tolerations(trainer))
                .addNewVolume()
                    .withName(VOLUME)
                    .withNewPersistentVolumeClaim(spec.storage().persistentVolumeClaim().claimName(), false)
                .endVolume()
                .build();
    }

    private VolumeMount volumeMount(PbtNasSearch search) {
        return new VolumeMountBuilder()
                .withName(VOLUME)
                .withMountPath(config.volumeMountPath())
                .withSubPath(SearchVolume.subPath(search))
                .build();
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

    private static List<Toleration> tolerations(TrainerSpec trainer) {
        if (trainer.tolerations() == null) {
            return List.of();
        }
        return trainer.tolerations().stream()
                .map(t -> new Toleration(t.effect(), t.key(), t.operator(), t.tolerationSeconds(), t.value()))
                .toList();
    }
}
