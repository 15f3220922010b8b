package io.pbtnas.operator.pods;

import static io.pbtnas.operator.pods.PodBuildersTest.CONFIG;
import static io.pbtnas.operator.pods.PodBuildersTest.RESTRICTED;
import static io.pbtnas.operator.pods.PodBuildersTest.plan;
import static io.pbtnas.operator.pods.PodBuildersTest.search;
import static io.pbtnas.operator.pods.PodBuildersTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.model.S3Storage;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.StorageSpec;
import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.core.space.Genome;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The pods of a search on spec.storage.s3: an emptyDir work folder, staging, upload, and credentials only where the bucket is. */
class BucketPodsTest {
    static final String ROOT = "s3://team-bucket/searches/ns1/fm-0123abcd";
    static final Genome GENOME = new Genome(Map.of("cell0", "skip"));

    static SearchSpec onBucket(S3Storage.S3Credentials secret, Integer keepGenerations) {
        SearchSpec b = spec();
        return new SearchSpec(b.strategy(), b.population(), b.generations(), b.epochsPerGeneration(), b.objective(),
                b.seed(), b.selection(), b.mixing(), b.searchSpace(), b.trainer(),
                new StorageSpec(null, StorageSpec.Retention.DELETE, keepGenerations, new S3Storage("team-bucket",
                        "searches/", "http://gw.storage:7070", "eu-west-1", true, secret)),
                b.parallelism(), b.failurePolicy());
    }

    static SearchSpec onBucket() {
        return onBucket(new S3Storage.S3Credentials("team-s3", "id", null), null);
    }

    static Pod member(SearchSpec spec, Action.Train train) {
        return new MemberPods(RESTRICTED).build(search(), spec, train);
    }

    static List<Container> all(Pod pod) {
        return Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream()).toList();
    }

    static List<String> names(List<Container> containers) {
        return containers.stream().map(Container::getName).toList();
    }

    @Test
    void aStepThatStartsFromNothingStillChecksTheBucketBeforeTraining() {
        Pod pod = member(onBucket(), new Action.Train(2, 0, 0, 0, 1, GENOME, null, null));
        assertEquals(List.of(ContainerNames.STAGE, ContainerNames.TRAINER), names(pod.getSpec().getInitContainers()));
        assertEquals(List.of("stage", "--root", ROOT, "--output-root", "/data", "--termination-log",
                "/dev/termination-log"), pod.getSpec().getInitContainers().get(0).getArgs());
    }

    @Test
    void theStepsInputIsStagedIntoTheWorkFolderAndTheTrainerContractIsUnchanged() {
        String input = "members/3/gen-0/attempt-1/model.safetensors";
        Action.Train train = new Action.Train(3, 1, 0, 1, 2, GENOME, input, null);
        Pod pod = member(onBucket(), train);
        Container stage = pod.getSpec().getInitContainers().get(0);
        assertEquals(List.of("stage", "--root", ROOT, "--output-root", "/data", "--checkpoint", input,
                "--termination-log", "/dev/termination-log"), stage.getArgs());
        // The trainer sees exactly what it sees on a volume: same variables, same paths.
        Pod onVolume = new MemberPods(RESTRICTED).build(search(), spec(), train);
        assertEquals(PodBuildersTest.env(PodBuildersTest.trainer(onVolume)),
                PodBuildersTest.env(PodBuildersTest.trainer(pod)));
        assertEquals("/data/" + input, PodBuildersTest.env(PodBuildersTest.trainer(pod)).get("PBTNAS_INPUT"));
    }

    @Test
    void aReplacedMemberMixesByStreamingItsParentsFromTheBucket() {
        Pod pod = member(onBucket(), new Action.Train(6, 1, 0, 1, 2, new Genome(Map.of("cell0", "conv3x3")),
                "members/6/gen-1/input.safetensors", plan()));
        Container mix = pod.getSpec().getInitContainers().get(0);
        assertEquals(List.of(ContainerNames.MIX, ContainerNames.TRAINER), names(pod.getSpec().getInitContainers()));
        assertEquals(List.of("mix", "--root", ROOT, "--output-root", "/data", "--upload", ROOT, "--plan"),
                mix.getArgs().subList(0, 8));
    }

    @Test
    void verifyChecksThenUploadsTheAttemptAndPrunesInTheBucket() {
        Pod pod = member(onBucket(), new Action.Train(3, 1, 1, 1, 2, GENOME, "members/3/gen-0/model.safetensors", null));
        Container verify = pod.getSpec().getContainers().get(0);
        assertEquals(List.of("verify", "--dir", "/data/members/3/gen-1/attempt-1", "--genome", "{\"cell0\":\"skip\"}",
                "--epoch", "2", "--termination-log", "/dev/termination-log", "--upload",
                ROOT + "/members/3/gen-1/attempt-1"), verify.getArgs());
    }

    @Test
    void nothingButEmptyDirsIsMountedOnABucket() {
        SearchSpec spec = onBucket();
        List<Pod> pods = List.of(member(spec, new Action.Train(2, 0, 0, 0, 1, GENOME, null, null)),
                member(spec, new Action.Train(6, 1, 0, 1, 2, GENOME, "members/6/gen-1/input.safetensors", plan())),
                new ExportPods(RESTRICTED).build(search(), spec, 0), new CleanupPods(RESTRICTED).build(search(), spec));
        for (Pod pod : pods) {
            for (Volume v : pod.getSpec().getVolumes()) {
                assertTrue(v.getEmptyDir() != null || v.getConfigMap() != null,
                        pod.getMetadata().getName() + " volume " + v.getName() + " is not an emptyDir: " + v);
            }
            for (Container c : all(pod)) {
                c.getVolumeMounts().forEach(m -> assertTrue(m.getSubPath() == null,
                        c.getName() + " mounts a subPath " + m.getSubPath()));
            }
        }
    }

    @Test
    void theCredentialsReachOnlyTheContainersThatTalkToTheBucketAsSecretReferences() {
        SearchSpec spec = onBucket();
        List<Pod> pods = List.of(member(spec, new Action.Train(2, 0, 0, 0, 1, GENOME, null, null)),
                member(spec, new Action.Train(3, 1, 0, 1, 2, GENOME, "members/3/gen-0/model.safetensors", null)),
                member(spec, new Action.Train(6, 1, 0, 1, 2, GENOME, "members/6/gen-1/input.safetensors", plan())),
                new ExportPods(CONFIG).build(search(), spec, 0), new CleanupPods(CONFIG).build(search(), spec));
        int withKeys = 0;
        for (Pod pod : pods) {
            for (Container c : all(pod)) {
                Map<String, EnvVar> env = c.getEnv() == null ? Map.of()
                        : c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
                assertTrue(c.getEnvFrom() == null || c.getEnvFrom().isEmpty(), c.getName() + " has envFrom");
                if (c.getName().equals(ContainerNames.TRAINER)) {
                    assertTrue(env.keySet().stream().noneMatch(k -> k.startsWith("AWS_")),
                            "the trainer gets no bucket setting or key: " + env.keySet());
                    assertTrue(env.values().stream().noneMatch(e -> e.getValueFrom() != null
                            && e.getValueFrom().getSecretKeyRef() != null
                            && "team-s3".equals(e.getValueFrom().getSecretKeyRef().getName())),
                            "the trainer references the bucket's Secret");
                    continue;
                }
                assertTrue(List.of(ContainerNames.STAGE, ContainerNames.MIX, ContainerNames.VERIFY,
                        ContainerNames.EXPORT, ContainerNames.CLEANUP).contains(c.getName()), c.getName());
                EnvVar id = env.get("AWS_ACCESS_KEY_ID");
                EnvVar key = env.get("AWS_SECRET_ACCESS_KEY");
                assertNotNull(id, c.getName() + " has no access key id");
                assertEquals(null, id.getValue(), "a reference, never a value");
                assertEquals("team-s3", id.getValueFrom().getSecretKeyRef().getName());
                assertEquals("id", id.getValueFrom().getSecretKeyRef().getKey());
                assertEquals("AWS_SECRET_ACCESS_KEY", key.getValueFrom().getSecretKeyRef().getKey(), "the default key");
                assertEquals("http://gw.storage:7070", env.get("AWS_ENDPOINT_URL").getValue());
                assertEquals("eu-west-1", env.get("AWS_REGION").getValue());
                assertEquals("true", env.get("PBTNAS_S3_FORCE_PATH_STYLE").getValue());
                withKeys++;
            }
        }
        assertEquals(8, withKeys, "stage, mix and verify (x3), export and cleanup");
    }

    @Test
    void withoutASecretTheSdksDefaultChainApplies() {
        Pod pod = member(onBucket(null, null), new Action.Train(2, 0, 0, 0, 1, GENOME, null, null));
        for (Container c : all(pod)) {
            assertTrue(c.getEnv() == null || c.getEnv().stream().noneMatch(e -> e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null), c.getName() + " references a Secret");
        }
    }

    @Test
    void keepGenerationsPrunesObjectsOfTheMembersOldFolders() {
        SearchSpec spec = onBucket(null, 1);
        Action.Train t = new Action.Train(3, 1, 0, 1, 2, GENOME, "members/3/gen-0/model.safetensors", null);
        BucketStorage storage = (BucketStorage) StorageBackend.of(search(), spec, RESTRICTED);
        Container verify = storage.verify(t, List.of("members/3/gen-0"), "IfNotPresent");
        List<String> args = verify.getArgs();
        assertEquals(ROOT + "/members/3/gen-0", args.get(args.indexOf("--prune") + 1));
    }

    @Test
    void exportAndCleanupWorkOnTheSearchsRootInTheBucket() {
        SearchSpec spec = onBucket();
        Pod exporter = new ExportPods(CONFIG).build(search(), spec, 0);
        assertEquals(List.of(ExportInput.VOLUME), exporter.getSpec().getVolumes().stream().map(v -> v.getName()).toList(),
                "the exporter of a bucket mounts its input only, no work folder");
        Container export = exporter.getSpec().getContainers().get(0);
        assertEquals(List.of("export", "--root", ROOT, "--search", "/etc/pbtnas/export/search.json.gz",
                "--termination-log", "/dev/termination-log"), export.getArgs());
        Pod cleaner = new CleanupPods(CONFIG).build(search(), spec);
        assertEquals(List.of("cleanup", "--root", ROOT, "--termination-log", "/dev/termination-log"),
                cleaner.getSpec().getContainers().get(0).getArgs());
        assertFalse(cleaner.getSpec().getVolumes().stream().anyMatch(v -> ReservedNames.CHECKPOINT_VOLUME.equals(v.getName())),
                "the cleaner of a bucket mounts no checkpoint volume");
    }

    @Test
    void withoutAPrefixKeysStartAtTheNamespace() {
        assertEquals("s3://b1/ns1/fm-0123abcd", new S3Storage("b1", null, null, null, null, null)
                .searchRoot("ns1/fm-0123abcd"));
        assertEquals("s3://b1/a/b/ns1/fm-0123abcd", new S3Storage("b1", "/a/b/", null, null, null, null)
                .searchRoot("ns1/fm-0123abcd"));
    }
}
