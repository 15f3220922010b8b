package io.pbtnas.operator.pods;

import static io.pbtnas.operator.pods.ContainerTemplate.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.model.S3Storage;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * spec.storage.s3: a member pod works in an emptyDir that mirrors the search's folder; {@code stage}
 * (or {@code mix}, streaming the parents from the bucket) writes the step's input there, the trainer
 * runs on it unchanged, and {@code verify} checks the outputs, then uploads them ({@code metrics.json}
 * last, never replacing a key). Keys: {@code <prefix>/<namespace>/<search>-<uid8>/…}, the volume's layout.
 * The bucket's settings and credentials go to exactly the containers that talk to it, the credentials as
 * {@code valueFrom} references the kubelet resolves: never to the trainer, the status or an argument.
 */
final class BucketStorage implements StorageBackend {
    /** The standard AWS variables the cli's S3Settings reads. */
    static final String ENDPOINT = "AWS_ENDPOINT_URL";
    static final String REGION = "AWS_REGION";
    static final String PATH_STYLE = "PBTNAS_S3_FORCE_PATH_STYLE";
    static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

    private final PbtNasSearch search;
    private final SearchSpec spec;
    private final S3Storage s3;
    private final OperatorConfig.Settings config;

    BucketStorage(PbtNasSearch search, SearchSpec spec, OperatorConfig.Settings config) {
        this.search = search;
        this.spec = spec;
        this.s3 = spec.storage().s3();
        this.config = config;
    }

    /** {@code s3://bucket/prefix/<namespace>/<search>-<uid8>}. */
    String root() {
        return s3.searchRoot(VolumePaths.searchFolder(search));
    }

    @Override
    public Volume checkpointVolume() {
        return new VolumeBuilder().withName(ReservedNames.CHECKPOINT_VOLUME).withNewEmptyDir().endEmptyDir().build();
    }

    @Override
    public VolumeMount searchRootMount() {
        return new VolumeMountBuilder().withName(ReservedNames.CHECKPOINT_VOLUME)
                .withMountPath(config.volumeMountPath()).build();
    }

    /** Always one container: even generation 0 stages nothing but checks the bucket before any training runs. */
    @Override
    public List<Container> beforeTrainer(Action.Train train, String pullPolicy) {
        List<String> args = train.mix() != null
                ? PbtnasCommands.mix(train.mix(), spec.searchSpace(), root(), config.volumeMountPath())
                : PbtnasCommands.stage(root(), config.volumeMountPath(), train.inputCheckpoint());
        return List.of(container(train.mix() != null ? ContainerNames.MIX : ContainerNames.STAGE, config.image(),
                pullPolicy)
                .withCommand(PbtnasCommands.command())
                .withArgs(args)
                .withEnv(bucketEnv())
                .withVolumeMounts(searchRootMount())
                .build());
    }

    @Override
    public Container verify(Action.Train train, List<String> prunable, String pullPolicy) {
        String mount = config.volumeMountPath();
        return container(ContainerNames.VERIFY, config.image(), pullPolicy)
                .withCommand(PbtnasCommands.command())
                .withArgs(PbtnasCommands.verify(VolumePaths.onVolume(mount, train.outputDir()),
                        train.genome().toJson(), train.epochTo(), VolumePaths.onVolume(root(), train.outputDir()),
                        prunable.stream().map(folder -> VolumePaths.onVolume(root(), folder)).toList()))
                .withEnv(bucketEnv())
                .withVolumeMounts(searchRootMount())
                .build();
    }

    @Override
    public OneContainerPod export(String searchFile, VolumeMount searchFileMount) {
        // reads the bucket and its input file only: no work folder
        return new OneContainerPod(container(ContainerNames.EXPORT, config.image(), null)
                .withCommand(PbtnasCommands.command())
                .withArgs(PbtnasCommands.export(root(), searchFile))
                .withEnv(bucketEnv())
                .withVolumeMounts(searchFileMount)
                .build(), List.of());
    }

    @Override
    public OneContainerPod cleanup() {
        return new OneContainerPod(container(ContainerNames.CLEANUP, config.image(), null)
                .withCommand(PbtnasCommands.command())
                .withArgs(PbtnasCommands.cleanup(root()))
                .withEnv(bucketEnv())
                .build(), List.of());
    }

    /** The bucket's settings as the standard AWS variables; the keys by reference to their Secret. */
    List<EnvVar> bucketEnv() {
        List<EnvVar> env = new ArrayList<>();
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            env.add(new EnvVar(ENDPOINT, s3.endpoint(), null));
        }
        if (s3.region() != null && !s3.region().isBlank()) {
            env.add(new EnvVar(REGION, s3.region(), null));
        }
        if (s3.forcePathStyle() != null) {
            env.add(new EnvVar(PATH_STYLE, s3.forcePathStyle().toString(), null));
        }
        S3Storage.S3Credentials secret = s3.credentialsSecret();
        if (secret != null) {
            env.add(secretRef(ACCESS_KEY_ID, secret.name(), S3Storage.accessKeyIdKey(secret)));
            env.add(secretRef(SECRET_ACCESS_KEY, secret.name(), S3Storage.secretAccessKeyKey(secret)));
        }
        return env;
    }

    private static EnvVar secretRef(String name, String secret, String key) {
        return new EnvVar(name, null, new EnvVarSourceBuilder()
                .withSecretKeyRef(new SecretKeySelector(key, secret, false)).build());
    }
}
