package io.pbtnas.operator.pods;

import io.pbtnas.core.pod.ReservedNames;
import io.pbtnas.operator.config.OperatorConfig;
import io.pbtnas.operator.api.PbtNasSearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Retention;
import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.engine.Seeds;
import io.pbtnas.core.model.PvcRef;
import io.pbtnas.core.pod.ResourceSpec;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.StorageSpec;
import io.pbtnas.core.pod.TolerationSpec;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

public class PodBuildersTest {
    public static final OperatorConfig.Settings CONFIG = new OperatorConfig.Settings("pbtnas/operator:9", "/data",
            Duration.ofSeconds(10), Duration.ofMinutes(5), false, 1001);
    public static final OperatorConfig.Settings RESTRICTED = new OperatorConfig.Settings("pbtnas/operator:9", "/data",
            Duration.ofSeconds(10), Duration.ofMinutes(5), true, 2000);

    public static PbtNasSearch search() {
        PbtNasSearch s = new PbtNasSearch();
        s.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("ns1")
                .withUid("0123abcd-ffff-eeee-dddd-cccccccccccc").build());
        return s;
    }

    public static SearchSpec spec() {
        TrainerSpec trainer = new TrainerSpec("pbtnas/trainer:1", "IfNotPresent", null, "fashion-mnist",
                Map.of("batchSize", 64), Map.of("EXTRA", "1"),
                new ResourceSpec(Map.of("cpu", "2"), Map.of("nvidia.com/gpu", "1")),
                Map.of("gpu", "h100"), List.of(new TolerationSpec("gpu", "Exists", null, "NoSchedule", null)),
                "trainer-sa", List.of("regcred"), "1h30m");
        return new SearchSpec(null, 8, 3, null, null, 5L, null, null,
                new SearchSpace(List.of(new Gene("cell0", List.of("conv3x3", "skip")))), trainer,
                new StorageSpec(new PvcRef("ckpt"), null), 2, null).withDefaults();
    }

    @Test
    void onlyMemberPodsCarryTheSearchsKueueLabels() {
        PbtNasSearch queued = search();
        queued.getMetadata().setLabels(Map.of(KueueLabels.QUEUE_NAME, "team-a", KueueLabels.PRIORITY_CLASS, "low",
                "app", "not-copied"));
        Action.Train train = new Action.Train(0, 0, 0, 0, 1, new Genome(Map.of("cell0", "skip")), null, null);
        Map<String, String> member = new MemberPods(CONFIG).build(queued, spec(), train).getMetadata().getLabels();
        assertEquals("team-a", member.get(KueueLabels.QUEUE_NAME));
        assertEquals("low", member.get(KueueLabels.PRIORITY_CLASS));
        assertNull(member.get("app"), "only the Kueue labels of the search are copied");
        Map<String, String> export = new ExportPods(CONFIG).build(queued, spec(), 1).getMetadata().getLabels();
        Map<String, String> cleanup = new CleanupPods(CONFIG).build(queued, spec()).getMetadata().getLabels();
        for (Map<String, String> other : List.of(export, cleanup)) {
            assertFalse(other.containsKey(KueueLabels.QUEUE_NAME), "export and cleanup pods need no GPU quota: " + other);
            assertFalse(other.containsKey(KueueLabels.PRIORITY_CLASS), other.toString());
        }
        assertFalse(new MemberPods(CONFIG).build(search(), spec(), train).getMetadata().getLabels()
                .containsKey(KueueLabels.QUEUE_NAME), "no label on the search: none on its pods");
    }

    @Test
    void memberPodCarriesSpecSettingsLabelsOwnerAndVolume() {
        Action.Train train = new Action.Train(3, 1, 2, 1, 2, new Genome(Map.of("cell0", "skip")),
                "members/3/gen-0/model.safetensors", null);
        Pod pod = new MemberPods(CONFIG).build(search(), spec(), train);

        assertEquals("fm-m3-g1-a2", pod.getMetadata().getName());
        assertEquals(Map.of(PodLabels.SEARCH, "fm", PodLabels.ROLE, "member", PodLabels.MEMBER, "3",
                PodLabels.GENERATION, "1", PodLabels.ATTEMPT, "2"), pod.getMetadata().getLabels());
        assertEquals("0123abcd-ffff-eeee-dddd-cccccccccccc", pod.getMetadata().getOwnerReferences().get(0).getUid());
        assertTrue(pod.getMetadata().getOwnerReferences().get(0).getController());
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertEquals("trainer-sa", pod.getSpec().getServiceAccountName());
        assertEquals("regcred", pod.getSpec().getImagePullSecrets().get(0).getName());
        assertEquals(Map.of("gpu", "h100"), pod.getSpec().getNodeSelector());
        assertEquals("NoSchedule", pod.getSpec().getTolerations().get(0).getEffect());
        assertEquals("ckpt", pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals(List.of(ContainerNames.TRAINER), pod.getSpec().getInitContainers().stream().map(Container::getName)
                .toList(), "no mix for a surviving member");

        Container c = trainer(pod);
        assertEquals("pbtnas/trainer:1", c.getImage());
        assertEquals(new Quantity("1"), c.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("2"), c.getResources().getRequests().get("cpu"));
        assertEquals("ns1/fm-0123abcd", c.getVolumeMounts().get(0).getSubPath());
        assertEquals("/data", c.getVolumeMounts().get(0).getMountPath());
        assertEquals("/dev/termination-log", c.getTerminationMessagePath());
        Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals("/data/members/3/gen-0/model.safetensors", env.get("PBTNAS_INPUT"));
        assertEquals("/data/members/3/gen-1/attempt-2", env.get("PBTNAS_OUTPUT_DIR"));
        assertEquals("1", env.get("PBTNAS_EPOCH_FROM"));
        assertEquals("2", env.get("PBTNAS_EPOCH_TO"));
        assertEquals("{\"cell0\":\"skip\"}", env.get("PBTNAS_GENOME"));
        assertEquals("{\"batchSize\":64}", env.get("PBTNAS_TASK_ARGS"));
        assertEquals(Long.toString(Seeds.trainerSeed(5, 3, 1)), env.get("PBTNAS_SEED"));
        Integer.parseInt(env.get("PBTNAS_SEED")); // a trainer may parse it as an int
        assertEquals("1", env.get("EXTRA"));
    }

    @Test
    void memberPodEnvironmentIsTheTrainerContractsWithAnOmittedTaskUnset() {
        SearchSpec given = spec();
        TrainerSpec t = given.trainer();
        SearchSpec noTask = new SearchSpec(given.strategy(), given.population(), given.generations(),
                given.epochsPerGeneration(), given.objective(), given.seed(), given.selection(), given.mixing(),
                given.searchSpace(), new TrainerSpec(t.image(), t.imagePullPolicy(), t.command(), null, t.args(),
                t.env(), t.resources(), t.nodeSelector(), t.tolerations(), t.serviceAccountName(),
                t.imagePullSecrets(), t.stepTimeout()), given.storage(), given.parallelism(), given.failurePolicy());
        Action.Train train = new Action.Train(3, 1, 0, 1, 2, new Genome(Map.of("cell0", "skip")),
                "members/3/gen-0/model.safetensors", null);
        Map<String, String> env = env(trainer(new MemberPods(CONFIG).build(search(), noTask, train)));
        assertFalse(env.containsKey("PBTNAS_TASK"), "an omitted task is not PBTNAS_TASK=\"\": " + env);
        assertEquals("train", env.get("PBTNAS_MODE"));
        assertEquals("3", env.get("PBTNAS_MEMBER"));
        assertEquals("1", env.get("PBTNAS_GENERATION"));
        Map<String, String> expected = new java.util.HashMap<>(io.pbtnas.core.contract.TrainerContract.environment(
                io.pbtnas.core.contract.TrainerContract.train(noTask, train, r -> "/data/" + r,
                        "/dev/termination-log")));
        expected.put("EXTRA", "1");
        assertEquals(expected, env, "the pod gets exactly the contract's variables plus trainer.env");
    }

    @Test
    void replacedMemberRunsPbtnasMixFirst() {
        Pod pod = mixedMemberPod(CONFIG);
        Container mix = pod.getSpec().getInitContainers().get(0);
        assertEquals("pbtnas/operator:9", mix.getImage());
        assertEquals(List.of("pbtnas"), mix.getCommand());
        assertEquals(List.of("mix", "--root", "/data", "--plan"), mix.getArgs().subList(0, 4));
        assertTrue(mix.getArgs().get(4).contains("\"swappedGenes\":[\"cell0\"]"), mix.getArgs().get(4));
        assertEquals("ns1/fm-0123abcd", mix.getVolumeMounts().get(0).getSubPath());
    }

    static Pod freshMemberPod(OperatorConfig.Settings config) {
        Action.Train train = new Action.Train(2, 0, 0, 0, 1, new Genome(Map.of("cell0", "skip")), null, null);
        return new MemberPods(config).build(search(), spec(), train);
    }

    @Test
    void memberStartingFromNothingCreatesTheSearchDirectoryItselfBeforeMountingItAsSubPath() {
        // The kubelet would create a missing subPath directory as root, unwritable for the trainer's uid.
        Pod pod = freshMemberPod(RESTRICTED);
        List<Container> init = pod.getSpec().getInitContainers();
        // First the directory, then the trainer (the last init container; `pbtnas verify` is the main one).
        assertEquals(List.of(ContainerNames.SEARCH_DIR, ContainerNames.TRAINER), init.stream().map(Container::getName).toList());
        Container dir = init.get(0);
        assertEquals("pbtnas/operator:9", dir.getImage());
        assertEquals(List.of("mkdir", "-p", "--", "/pbtnas-volume/ns1/fm-0123abcd"), dir.getCommand());
        VolumeMount root = dir.getVolumeMounts().stream().filter(m -> m.getName().equals(ReservedNames.CHECKPOINT_VOLUME))
                .findFirst().orElseThrow();
        assertEquals("/pbtnas-volume", root.getMountPath());
        assertNull(root.getSubPath(), "the volume root, so no directory is made by the kubelet");
        // It runs as the pod's non-root user (the one the trainer runs as), like every other container.
        assertEquals(2000L, pod.getSpec().getSecurityContext().getRunAsUser());
        assertTrue(dir.getSecurityContext().getRunAsNonRoot());
        Container trainer = init.get(1);
        assertEquals("ns1/fm-0123abcd", trainer.getVolumeMounts().get(0).getSubPath());
        assertEquals("/data/members/2/gen-0/attempt-0", env(trainer).get("PBTNAS_OUTPUT_DIR"));
    }

    public static MixPlan plan() {
        return new MixPlan(0, 4, List.of("cell0"), 0.4, 0.1, 99L, "members/0/gen-0/model.safetensors",
                "members/4/gen-0/model.safetensors", "members/6/gen-1/input.safetensors");
    }

    static Pod mixedMemberPod(OperatorConfig.Settings config) {
        Action.Train train = new Action.Train(6, 1, 0, 1, 2, new Genome(Map.of("cell0", "conv3x3")),
                "members/6/gen-1/input.safetensors", plan());
        return new MemberPods(config).build(search(), spec(), train);
    }

    /** The trainer: the last init container, before `pbtnas verify`. */
    public static Container trainer(Pod pod) {
        List<Container> init = pod.getSpec().getInitContainers();
        Container last = init.get(init.size() - 1);
        assertEquals(ContainerNames.TRAINER, last.getName());
        return last;
    }

    @Test
    void theMemberPodSucceedsOnlyWhenVerifyFindsTheTrainersOutputsValid() {
        Action.Train train = new Action.Train(3, 1, 0, 1, 2, new Genome(Map.of("cell0", "skip")),
                "members/3/gen-0/model.safetensors", null);
        Pod pod = new MemberPods(CONFIG).build(search(), spec(), train);
        assertEquals(1, pod.getSpec().getContainers().size());
        Container verify = pod.getSpec().getContainers().get(0);
        assertEquals(ContainerNames.VERIFY, verify.getName());
        assertEquals("pbtnas/operator:9", verify.getImage());
        assertEquals(List.of("pbtnas"), verify.getCommand());
        assertEquals(List.of("verify", "--dir", "/data/members/3/gen-1/attempt-0", "--genome", "{\"cell0\":\"skip\"}",
                "--epoch", "2", "--termination-log", "/dev/termination-log"), verify.getArgs());
        assertEquals(ContainerNames.TRAINER, pod.getMetadata().getAnnotations().get("kubectl.kubernetes.io/default-container"));
    }

    @Test
    void eachAttemptsPodWritesAndVerifiesItsOwnDirectory() {
        // A retried step: attempt 0's pod may still be in its grace period, writing, when attempt 1 starts.
        PodBuilders factory = new PodBuilders(CONFIG);
        Genome genome = new Genome(Map.of("cell0", "skip"));
        String input = "members/3/gen-0/attempt-1/model.safetensors"; // the attempt that counted in generation 0
        Pod first = factory.memberPod(search(), spec(), new Action.Train(3, 1, 0, 1, 2, genome, input, null));
        Pod retry = factory.memberPod(search(), spec(), new Action.Train(3, 1, 1, 1, 2, genome, input, null));
        assertEquals("/data/members/3/gen-1/attempt-0", env(trainer(first)).get("PBTNAS_OUTPUT_DIR"));
        assertEquals("/data/members/3/gen-1/attempt-1", env(trainer(retry)).get("PBTNAS_OUTPUT_DIR"));
        assertEquals("/data/members/3/gen-1/attempt-1", retry.getSpec().getContainers().get(0).getArgs().get(2),
                "verify checks the retry's own outputs");
        assertEquals("/data/members/3/gen-0/attempt-1/model.safetensors", env(trainer(retry)).get("PBTNAS_INPUT"));
    }

    @Test
    void withKeepGenerationsEachMemberPodPrunesItsSlotsFoldersThePersistedStatusNoLongerNeeds() {
        SearchSpec base = spec();
        SearchSpec spec = new SearchSpec(base.strategy(), 4, 5, base.epochsPerGeneration(), base.objective(),
                base.seed(), base.selection(), base.mixing(), base.searchSpace(), base.trainer(),
                new StorageSpec(new PvcRef("ckpt"), null, 1), 4, base.failurePolicy(), base.explore(),
                base.schedule());
        // The persisted status after three generations (everyone succeeds), generation 3 starting.
        Decision d = Engine.decide(spec, null, List.of());
        for (int g = 0; g < 3; g++) {
            List<MemberResult> results = d.actions().stream().map(a -> (Action.Train) a)
                    .map(t -> MemberResult.succeeded(t.member(), t.generation(), t.attempt(), 0.1 * t.member()))
                    .toList();
            d = Engine.decide(spec, d.status(), results);
        }
        PbtNasSearch search = search();
        search.setStatus(d.status());
        boolean pruned = false;
        for (Action a : d.actions()) {
            Action.Train t = (Action.Train) a;
            Pod pod = new MemberPods(CONFIG).build(search, spec, t);
            List<String> args = pod.getSpec().getContainers().get(0).getArgs();
            List<String> expected = Retention.prunable(d.status(), 1, t.member()).stream()
                    .map(f -> "/data/" + f).toList();
            List<String> given = new java.util.ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals("--prune")) {
                    given.add(args.get(i + 1));
                }
            }
            assertEquals(expected, given, "member " + t.member());
            given.forEach(f -> assertTrue(f.startsWith("/data/members/" + t.member() + "/gen-"), f));
            String input = t.inputCheckpoint() == null ? "" : "/data/" + t.inputCheckpoint();
            given.forEach(f -> assertFalse(input.startsWith(f + "/"), f + " is the step's own input"));
            pruned |= !given.isEmpty();
        }
        assertTrue(pruned, "generations 0 and 1 are no longer needed by most members");
        // Without keepGenerations nothing is pruned.
        Pod plain = new MemberPods(CONFIG).build(search, spec(), (Action.Train) d.actions().get(0));
        assertFalse(plain.getSpec().getContainers().get(0).getArgs().contains("--prune"));
    }

    static Map<String, String> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void restrictedSecurityMakesEveryContainerNonRootReadOnlyWithoutCapabilitiesAndAWritableTmp() {
        PodBuilders factory = new PodBuilders(RESTRICTED);
        List<Pod> all = List.of(mixedMemberPod(RESTRICTED), freshMemberPod(RESTRICTED),
                factory.exportPod(search(), spec(), 0), factory.cleanupPod(search(), spec()));
        for (Pod pod : all) {
            String where = pod.getMetadata().getName();
            var psc = pod.getSpec().getSecurityContext();
            assertTrue(psc.getRunAsNonRoot(), where);
            assertEquals(2000L, psc.getRunAsUser(), where);
            assertEquals(2000L, psc.getRunAsGroup(), where);
            assertEquals(2000L, psc.getFsGroup(), where);
            assertEquals("RuntimeDefault", psc.getSeccompProfile().getType(), where);
            var tmp = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(PodSecurity.TMP_VOLUME))
                    .findFirst().orElseThrow(() -> new AssertionError(where + ": no tmp volume"));
            assertTrue(tmp.getEmptyDir() != null, where);
            List<Container> containers = new java.util.ArrayList<>(pod.getSpec().getInitContainers());
            containers.addAll(pod.getSpec().getContainers());
            for (Container c : containers) {
                String cw = where + "/" + c.getName();
                var sc = c.getSecurityContext();
                assertFalse(sc.getAllowPrivilegeEscalation(), cw);
                assertTrue(sc.getReadOnlyRootFilesystem(), cw);
                assertTrue(sc.getRunAsNonRoot(), cw);
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), cw);
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(PodSecurity.TMP_VOLUME)
                        && m.getMountPath().equals("/tmp")), cw + ": /tmp not mounted");
                // The operator image's DJL cache goes to /tmp; a trainer image keeps its own cache.
                String djl = env(c).get("DJL_CACHE_DIR");
                if (c.getName().equals(ContainerNames.TRAINER)) {
                    assertNull(djl, cw);
                } else {
                    assertEquals("/tmp/djl", djl, cw);
                }
            }
        }
        // The checkpoint volume is still mounted where it was.
        assertEquals("/data", trainer(all.get(0)).getVolumeMounts().get(0).getMountPath());
    }

    @Test
    void withoutRestrictedSecurityPodsAreLeftToTheClusterDefaults() {
        Pod pod = mixedMemberPod(CONFIG);
        assertNull(pod.getSpec().getSecurityContext());
        assertTrue(pod.getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals(PodSecurity.TMP_VOLUME)));
        for (Container c : List.of(pod.getSpec().getInitContainers().get(0), trainer(pod),
                pod.getSpec().getContainers().get(0))) {
            assertNull(c.getSecurityContext(), c.getName());
            assertEquals(1, c.getVolumeMounts().size(), c.getName());
            assertFalse(env(c).containsKey("DJL_CACHE_DIR"), c.getName());
        }
    }

    @Test
    void exportPodRunsPbtnasExportOnTheSearchDirectoryWithTheSearchFromItsConfigMap() {
        Pod pod = new ExportPods(CONFIG).build(search(), spec(), 1);
        assertEquals("fm-export-a1", pod.getMetadata().getName());
        assertEquals(Map.of(PodLabels.SEARCH, "fm", PodLabels.ROLE, "export", PodLabels.ATTEMPT, "1"),
                pod.getMetadata().getLabels());
        assertEquals("0123abcd-ffff-eeee-dddd-cccccccccccc", pod.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("Never", pod.getSpec().getRestartPolicy());
        assertEquals("trainer-sa", pod.getSpec().getServiceAccountName());
        assertEquals(Map.of("gpu", "h100"), pod.getSpec().getNodeSelector());
        Container c = pod.getSpec().getContainers().get(0);
        assertEquals("pbtnas/operator:9", c.getImage());
        assertEquals(List.of("pbtnas"), c.getCommand());
        assertEquals(List.of("export", "--root", "/data", "--search", "/etc/pbtnas/export/search.json.gz",
                        "--termination-log", "/dev/termination-log"),
                c.getArgs());
        assertEquals("ns1/fm-0123abcd", c.getVolumeMounts().get(0).getSubPath());
        // The search comes as a file: an environment variable fails execve past 128 KiB (E2BIG).
        assertTrue(c.getEnv() == null || c.getEnv().stream().noneMatch(v -> v.getName().startsWith("PBTNAS_")),
                "no PBTNAS_STATUS or other input in the environment: " + c.getEnv());
        var input = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(ExportInput.VOLUME))
                .findFirst().orElseThrow();
        assertEquals("fm-export", input.getConfigMap().getName());
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(ExportInput.VOLUME))
                .findFirst().orElseThrow();
        assertEquals("/etc/pbtnas/export", mount.getMountPath());
        assertEquals(Boolean.TRUE, mount.getReadOnly());
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertEquals(Duration.ZERO, CONFIG.backoff(0));
        assertEquals(Duration.ofSeconds(10), CONFIG.backoff(1));
        assertEquals(Duration.ofSeconds(40), CONFIG.backoff(3));
        assertEquals(Duration.ofMinutes(5), CONFIG.backoff(30));
    }
}
