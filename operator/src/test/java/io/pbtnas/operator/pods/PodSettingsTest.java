package io.pbtnas.operator.pods;

import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.operator.config.OperatorConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.validation.SpecValidator;
import io.pbtnas.core.space.Genome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What platform teams set on every pod (spec.trainer labels, annotations, priorityClassName, affinity,
 * volumes, volumeMounts), secrets by reference (envValueFrom), and which pods get an API token.
 */
class PodSettingsTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static SearchSpec spec(String trainerExtra) throws Exception {
        SearchSpec spec = YAML.readValue("""
                population: 4
                generations: 2
                strategy: random
                searchSpace: {genes: [{name: cell0, options: [conv3x3, skip]}]}
                storage: {persistentVolumeClaim: {claimName: ckpt}}
                trainer:
                  image: pbtnas/trainer:1
                  env: {EXTRA: "1"}
                """ + trainerExtra.indent(2), SearchSpec.class);
        assertEquals(List.of(), SpecValidator.problems(spec));
        return spec.withDefaults();
    }

    static final String PLATFORM = """
            labels: {team: vision, pbtnas-queue: batch}
            annotations: {example.com/owner: ana}
            priorityClassName: batch-low
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms: [{matchExpressions: [{key: gpu, operator: In, values: [h100, a100]}]}]
            volumes:
              - {name: dshm, emptyDir: {medium: Memory, sizeLimit: 2Gi}}
            volumeMounts:
              - {name: dshm, mountPath: /dev/shm}
            envValueFrom:
              - {name: WANDB_API_KEY, valueFrom: {secretKeyRef: {name: wandb, key: api-key}}}
              - {name: BUCKET, valueFrom: {configMapKeyRef: {name: data, key: bucket, optional: true}}}
            """;

    static Pod member(SearchSpec spec, OperatorConfig.Settings config) {
        Action.Train mixed = new Action.Train(6, 1, 0, 1, 2, new Genome(Map.of("cell0", "conv3x3")),
                "members/6/gen-1/input.safetensors", PodBuildersTest.plan());
        return new MemberPods(config).build(PodBuildersTest.search(), spec, mixed);
    }

    @Test
    void memberPodsGetThePlatformsMetadataSchedulingAndVolumesWithOurLabelsKept() throws Exception {
        Pod pod = member(spec(PLATFORM), PodBuildersTest.RESTRICTED);
        Map<String, String> labels = pod.getMetadata().getLabels();
        assertEquals("vision", labels.get("team"));
        assertEquals("batch", labels.get("pbtnas-queue"));
        assertEquals("fm", labels.get(PodLabels.SEARCH));
        assertEquals("6", labels.get(PodLabels.MEMBER));
        assertEquals("ana", pod.getMetadata().getAnnotations().get("example.com/owner"));
        assertEquals(ContainerNames.TRAINER, pod.getMetadata().getAnnotations().get("kubectl.kubernetes.io/default-container"));
        assertEquals("batch-low", pod.getSpec().getPriorityClassName());
        var term = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertEquals("gpu", term.getKey());
        assertEquals(List.of("h100", "a100"), term.getValues());

        Volume dshm = volume(pod, "dshm").orElseThrow(() -> new AssertionError(pod.getSpec().getVolumes()));
        assertEquals("Memory", dshm.getEmptyDir().getMedium());
        assertEquals("2Gi", dshm.getEmptyDir().getSizeLimit().toString());
        assertTrue(volume(pod, ReservedNames.CHECKPOINT_VOLUME).isPresent() && volume(pod, PodSecurity.TMP_VOLUME).isPresent(),
                "our own volumes stay: " + pod.getSpec().getVolumes());
        // Only the trainer mounts it; the init containers and verify (our image) do not.
        assertEquals(Optional.of("/dev/shm"), mountOf(PodBuildersTest.trainer(pod), "dshm"));
        for (Container c : List.of(pod.getSpec().getInitContainers().get(0), pod.getSpec().getContainers().get(0))) {
            assertEquals(Optional.empty(), mountOf(c, "dshm"), c.getName());
        }
        assertEquals(Optional.of("/data"), mountOf(PodBuildersTest.trainer(pod), ReservedNames.CHECKPOINT_VOLUME));
    }

    @Test
    void exportAndCleanupPodsGetTheMetadataAndSchedulingButNotTheTrainersVolumes() throws Exception {
        SearchSpec spec = spec(PLATFORM);
        PodBuilders factory = new PodBuilders(PodBuildersTest.CONFIG);
        for (Pod pod : List.of(factory.exportPod(PodBuildersTest.search(), spec, 1),
                factory.cleanupPod(PodBuildersTest.search(), spec))) {
            String name = pod.getMetadata().getName();
            assertEquals("vision", pod.getMetadata().getLabels().get("team"), name);
            assertEquals("fm", pod.getMetadata().getLabels().get(PodLabels.SEARCH), name);
            assertEquals("ana", pod.getMetadata().getAnnotations().get("example.com/owner"), name);
            assertEquals("batch-low", pod.getSpec().getPriorityClassName(), name);
            assertEquals("gpu", pod.getSpec().getAffinity().getNodeAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                    .getMatchExpressions().get(0).getKey(), name);
            assertEquals(Optional.empty(), volume(pod, "dshm"), name);
        }
    }

    @Test
    void envValueFromReachesTheTrainerAsKubernetesValueFromNeverAsAValue() throws Exception {
        Container trainer = PodBuildersTest.trainer(member(spec(PLATFORM), PodBuildersTest.CONFIG));
        EnvVar key = env(trainer, "WANDB_API_KEY");
        assertNull(key.getValue());
        assertEquals("wandb", key.getValueFrom().getSecretKeyRef().getName());
        assertEquals("api-key", key.getValueFrom().getSecretKeyRef().getKey());
        assertNull(key.getValueFrom().getConfigMapKeyRef());
        EnvVar bucket = env(trainer, "BUCKET");
        assertEquals("data", bucket.getValueFrom().getConfigMapKeyRef().getName());
        assertEquals("bucket", bucket.getValueFrom().getConfigMapKeyRef().getKey());
        assertTrue(bucket.getValueFrom().getConfigMapKeyRef().getOptional());
        assertEquals("1", env(trainer, "EXTRA").getValue());
        assertEquals("train", env(trainer, "PBTNAS_MODE").getValue());
    }

    @Test
    void noPodGetsAnApiTokenUnlessTheTrainerNamesAServiceAccount() throws Exception {
        PodBuilders factory = new PodBuilders(PodBuildersTest.RESTRICTED);
        SearchSpec plain = spec("");
        for (Pod pod : List.of(member(plain, PodBuildersTest.RESTRICTED),
                factory.exportPod(PodBuildersTest.search(), plain, 1),
                factory.cleanupPod(PodBuildersTest.search(), plain))) {
            assertEquals(Boolean.FALSE, pod.getSpec().getAutomountServiceAccountToken(), pod.getMetadata().getName());
        }
        SearchSpec withAccount = spec("serviceAccountName: trainer-sa\n");
        Pod member = member(withAccount, PodBuildersTest.RESTRICTED);
        assertEquals("trainer-sa", member.getSpec().getServiceAccountName());
        assertEquals(Boolean.TRUE, member.getSpec().getAutomountServiceAccountToken(),
                "a trainer given a service account may call the API on purpose");
        // Our own pods need no API even then: the export reads its input from the volume, cleanup deletes files.
        assertFalse(factory.exportPod(PodBuildersTest.search(), withAccount, 1).getSpec()
                .getAutomountServiceAccountToken());
        assertFalse(factory.cleanupPod(PodBuildersTest.search(), withAccount).getSpec().getAutomountServiceAccountToken());
    }

    @Test
    void withoutPlatformSettingsPodsCarryOnlyOurOwn() throws Exception {
        Pod pod = member(spec(""), PodBuildersTest.CONFIG);
        assertEquals(Map.of(PodLabels.SEARCH, "fm", PodLabels.ROLE, "member", PodLabels.MEMBER, "6",
                PodLabels.GENERATION, "1", PodLabels.ATTEMPT, "0"), pod.getMetadata().getLabels());
        assertEquals(Map.of("kubectl.kubernetes.io/default-container", ContainerNames.TRAINER),
                pod.getMetadata().getAnnotations());
        assertNull(pod.getSpec().getPriorityClassName());
        assertNull(pod.getSpec().getAffinity());
        assertEquals(List.of(ReservedNames.CHECKPOINT_VOLUME), pod.getSpec().getVolumes().stream().map(Volume::getName).toList());
    }

    static Optional<Volume> volume(Pod pod, String name) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst();
    }

    static Optional<String> mountOf(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).map(VolumeMount::getMountPath)
                .findFirst();
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + c.getEnv()));
    }
}
