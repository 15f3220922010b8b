package io.pbtnas.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.MixPlan;
import io.pbtnas.core.model.PvcRef;
import io.pbtnas.core.model.ResourceSpec;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.StorageSpec;
import io.pbtnas.core.model.TolerationSpec;
import io.pbtnas.core.model.TrainerSpec;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PodFactoryTest {
    static final OperatorConfig.Settings CONFIG =
            new OperatorConfig.Settings("pbtnas/operator:9", "/data", Duration.ofSeconds(10), Duration.ofMinutes(5));

    static PbtNasSearch search() {
        PbtNasSearch s = new PbtNasSearch();
        s.setMetadata(new ObjectMetaBuilder().withName("fm").withNamespace("ns1")
                .withUid("0123abcd-ffff-eeee-dddd-cccccccccccc").build());
        return s;
    }

    static SearchSpec spec() {
        TrainerSpec trainer = new TrainerSpec("pbtnas/trainer:1", "IfNotPresent", null, "fashion-mnist",
                Map.of("batchSize", 64), Map.of("EXTRA", "1"),
                new ResourceSpec(Map.of("cpu", "2"), Map.of("nvidia.com/gpu", "1")),
                Map.of("gpu", "h100"), List.of(new TolerationSpec("gpu", "Exists", null, "NoSchedule", null)),
                "trainer-sa", List.of("regcred"));
        return new SearchSpec(null, 8, 3, null, null, 5L, null, null,
                new SearchSpace(List.of(new Gene("cell0", List.of("conv3x3", "skip")))), trainer,
                new StorageSpec(new PvcRef("ckpt"), null), 2, null).withDefaults();
    }

    @Test
    void memberPodCarriesSpecSettingsLabelsOwnerAndVolume() {
        Action.Train train = new Action.Train(3, 1, 2, 1, 2, new Genome(Map.of("cell0", "skip")),
                "members/3/gen-0/model.safetensors", null);
        Pod pod = new PodFactory(CONFIG).memberPod(search(), spec(), train);

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
        assertTrue(pod.getSpec().getInitContainers().isEmpty(), "no mix for a surviving member");

        Container c = pod.getSpec().getContainers().get(0);
        assertEquals("pbtnas/trainer:1", c.getImage());
        assertEquals(new Quantity("1"), c.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("2"), c.getResources().getRequests().get("cpu"));
        assertEquals("ns1/fm-0123abcd", c.getVolumeMounts().get(0).getSubPath());
        assertEquals("/data", c.getVolumeMounts().get(0).getMountPath());
        assertEquals("/dev/termination-log", c.getTerminationMessagePath());
        Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals("/data/members/3/gen-0/model.safetensors", env.get("PBTNAS_INPUT"));
        assertEquals("/data/members/3/gen-1", env.get("PBTNAS_OUTPUT_DIR"));
        assertEquals("1", env.get("PBTNAS_EPOCH_FROM"));
        assertEquals("2", env.get("PBTNAS_EPOCH_TO"));
        assertEquals("{\"cell0\":\"skip\"}", env.get("PBTNAS_GENOME"));
        assertEquals("{\"batchSize\":64}", env.get("PBTNAS_TASK_ARGS"));
        assertEquals(Long.toString(TrainingSeed.of(5, 3, 1)), env.get("PBTNAS_SEED"));
        assertEquals("1", env.get("EXTRA"));
    }

    @Test
    void replacedMemberRunsPbtnasMixFirst() {
        MixPlan plan = new MixPlan(0, 4, List.of("cell0"), 0.4, 0.1, 99L, "members/0/gen-0/model.safetensors",
                "members/4/gen-0/model.safetensors", "members/6/gen-1/input.safetensors");
        Action.Train train = new Action.Train(6, 1, 0, 1, 2, new Genome(Map.of("cell0", "conv3x3")),
                "members/6/gen-1/input.safetensors", plan);
        Pod pod = new PodFactory(CONFIG).memberPod(search(), spec(), train);
        Container mix = pod.getSpec().getInitContainers().get(0);
        assertEquals("pbtnas/operator:9", mix.getImage());
        assertEquals(List.of("pbtnas"), mix.getCommand());
        assertEquals(List.of("mix", "--root", "/data", "--plan"), mix.getArgs().subList(0, 4));
        assertTrue(mix.getArgs().get(4).contains("\"swappedGenes\":[\"cell0\"]"), mix.getArgs().get(4));
        assertEquals("ns1/fm-0123abcd", mix.getVolumeMounts().get(0).getSubPath());
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertEquals(Duration.ZERO, CONFIG.backoff(0));
        assertEquals(Duration.ofSeconds(10), CONFIG.backoff(1));
        assertEquals(Duration.ofSeconds(40), CONFIG.backoff(3));
        assertEquals(Duration.ofMinutes(5), CONFIG.backoff(30));
    }
}
