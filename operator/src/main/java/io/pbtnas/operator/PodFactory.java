package io.pbtnas.operator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the pod that trains one member for one generation (pure: spec and action in, pod out). */
public final class PodFactory {
    public static final String TRAINER = "trainer";
    public static final String MIX = "mix";
    public static final String CLEANUP = "cleanup";
    public static final String VOLUME = "checkpoints";
    public static final String TERMINATION_LOG = "/dev/termination-log";

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
        env.put("PBTNAS_SEARCH_SPACE", space.toJson());
        env.put("PBTNAS_GENOME", train.genome().toJson());
        if (train.inputCheckpoint() != null) {
            env.put("PBTNAS_INPUT", MixCommandLine.onVolume(mount, train.inputCheckpoint()));
        }
        env.put("PBTNAS_OUTPUT_DIR", MixCommandLine.onVolume(mount,
                train.outputDir()));
        env.put("PBTNAS_EPOCH_FROM", Integer.toString(train.epochFrom()));
        env.put("PBTNAS_EPOCH_TO", Integer.toString(train.epochTo()));
        env.put("PBTNAS_SEED", Long.toString(TrainingSeed.of(spec.seed(), train.member(), train.generation())));
        env.put("PBTNAS_TASK", trainer.task() == null ? "" : trainer.task());
        env.put("PBTNAS_TASK_ARGS", Json.write(trainer.args() == null ? Map.of() : trainer.args()));
        env.put("PBTNAS_TERMINATION_LOG", TERMINATION_LOG);
        if (trainer.env() != null) {
            env.putAll(trainer.env());
        }

        ContainerBuilder main = new ContainerBuilder()
                .withName(TRAINER)
                .withImage(trainer.image())
                .withImagePullPolicy(trainer.imagePullPolicy())
                .withEnv(env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
                .withResources(resources(trainer))
                .withVolumeMounts(volumeMount(search))
                .withTerminationMessagePath(TERMINATION_LOG)
                // A trainer that dies before writing its score still explains why (its last log lines).
                .withTerminationMessagePolicy("FallbackToLogsOnError");
        if (trainer.command() != null && !trainer.command().isEmpty()) {
            main.withCommand(trainer.command());
        }

        return new PodBuilder()
                .withNewMetadata()
                    .withName(PodLabels.memberPodName(name, train.member(), train.generation(), train.attempt()))
                    .withNamespace(search.getMetadata().getNamespace())
                    .withLabels(PodLabels.member(name, train.member(), train.generation(), train.attempt()))
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(search.getApiVersion()).withKind(search.getKind())
                            .withName(name).withUid(search.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withServiceAccountName(trainer.serviceAccountName())
                    .withImagePullSecrets(trainer.imagePullSecrets() == null ? List.of()
                            : trainer.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
                    .withNodeSelector(trainer.nodeSelector())
                    .withTolerations(tolerations(trainer))
                    .withInitContainers(init)
                    .withContainers(main.build())
                    .addNewVolume()
                        .withName(VOLUME)
                        .withNewPersistentVolumeClaim(spec.storage().persistentVolumeClaim().claimName(), false)
                    .endVolume()
                .endSpec()
                .build();
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
        return new PodBuilder()
                .withNewMetadata()
                    .withName(PodLabels.cleanupPodName(name))
                    .withNamespace(ns)
                    .withLabels(Map.of(PodLabels.SEARCH, name, PodLabels.ROLE, PodLabels.ROLE_CLEANUP))
                .endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withServiceAccountName(spec.trainer().serviceAccountName())
                    .withImagePullSecrets(spec.trainer().imagePullSecrets() == null ? List.of()
                            : spec.trainer().imagePullSecrets().stream().map(LocalObjectReference::new).toList())
                    .withNodeSelector(spec.trainer().nodeSelector())
                    .withTolerations(tolerations(spec.trainer()))
                    .addNewContainer()
                        .withName(CLEANUP)
                        .withImage(config.image())
                        .withCommand("sh", "-c", "rm -rf -- \"$PBTNAS_DELETE\"")
                        .withEnv(new EnvVar("PBTNAS_DELETE", target, null))
                        .withVolumeMounts(new VolumeMountBuilder().withName(VOLUME)
                                .withMountPath(config.volumeMountPath()).withSubPath(ns).build())
                    .endContainer()
                    .addNewVolume()
                        .withName(VOLUME)
                        .withNewPersistentVolumeClaim(spec.storage().persistentVolumeClaim().claimName(), false)
                    .endVolume()
                .endSpec()
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
