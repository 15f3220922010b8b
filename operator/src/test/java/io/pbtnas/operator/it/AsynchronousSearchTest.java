package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.core.checkpoint.CheckpointMetadata;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.Condition;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.safetensors.Safetensors;
import io.pbtnas.operator.api.PbtNasSearch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operator runs {@code schedule: asynchronous} (pods for the engine's actions as results arrive,
 * no generation barrier) and a hyperparameter search (plain PBT: no genes, learningRate and
 * weightDecay explored) on the real API server, with the fast ContractTrainer.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiServerResource.class, restrictToAnnotatedClass = false)
class AsynchronousSearchTest {
    /** Step time grows with the first gene's option index, as costlier cells do. */
    static final String UNEVEN = "{sleepMillis: 200, sleepPerOptionMillis: 400}";
    /**
     * As {@link #UNEVEN}, with steps 6 s apart from the first option to the last: more than the seconds
     * by which JVM start-up of the trainer and verify containers varies when the cores are busy, so fast
     * members go on while slow ones still train.
     */
    static final String SPREAD = "{sleepMillis: 200, sleepPerOptionMillis: 1200}";

    @Test
    void anAsynchronousSearchJudgesEveryStepOnceWithoutAGenerationBarrier() throws Exception {
        try (Harness h = new Harness("async")) {
            h.create(Harness.searchYaml("async", FaultsTest.FAST, 6, 3, SPREAD, "  schedule: asynchronous\n"));
            SearchStatus status = h.awaitPhase("async", Phase.COMPLETE, Duration.ofMinutes(4)).getStatus();
            judgedOnce(status, 6, 3);
            for (MemberStatus m : status.members()) {
                assertEquals(3, m.scores().size(), "member " + m.id() + ": " + m.scores());
            }
            // No barrier: some member's pod for step k + 1 was created before another member's pod for step k
            // had finished, so that member went on without the other's result. Read from the pods themselves,
            // not from the order results arrived in (a slow step can still arrive before the overtaking one's
            // next step does). A barrier (every step-k result in before any step-(k + 1) pod) can never show it.
            List<Pod> pods = h.seenMemberPods("async");
            assertEquals(6 * 3, pods.size(), PodStart.timeline(pods));
            List<String> overtakings = wentOnBeforeAnotherFinished(pods);
            assertFalse(overtakings.isEmpty(), "a member went on before a slower one finished its step: "
                    + PodStart.timeline(pods));
            assertTrue(status.condition(ConditionType.COMPLETE.code()).isPresent());
            assertTrue(status.best() != null && status.best().generation() == 2, Json.write(status.best()));
        }
    }

    @Test
    void aHyperparameterSearchTrainsEveryStepWithTheMembersValues() throws Exception {
        try (Harness h = new Harness("hparams")) {
            PbtNasSearch created = h.create("""
                    apiVersion: pbtnas.io/v1alpha1
                    kind: PbtNasSearch
                    metadata: {name: plain-pbt}
                    spec:
                      population: 4
                      generations: 3
                      seed: 3
                      searchSpace:
                        genes: []
                        hyperparameters:
                          - {name: learningRate, logUniform: [1.0e-4, 1.0e-2]}
                          - {name: weightDecay, uniform: [0.0, 1.0e-3]}
                      trainer:
                        image: %s
                        task: fashion-mnist
                        resources: {requests: {cpu: "1"}}
                      storage: {persistentVolumeClaim: {claimName: %s}}
                    """.formatted(FaultsTest.FAST, Harness.CLAIM));
            PbtNasSearch done = h.awaitPhase("plain-pbt", Phase.COMPLETE, Duration.ofMinutes(4));
            SearchStatus status = done.getStatus();
            Path root = h.searchRoot(done);
            int replaced = 0;
            for (MemberStatus m : status.members()) {
                assertEquals(3, m.hparams().size(), "a value object per step: " + m);
                for (int k = 0; k < 3; k++) {
                    Map<String, String> meta = Safetensors.readMetadata(
                            root.resolve(m.checkpointAt(k).orElseThrow()));
                    assertEquals(Json.MAPPER.valueToTree(m.hparamsAt(k)),
                            Json.MAPPER.readTree(meta.get(CheckpointMetadata.HPARAMS)),
                            "member " + m.id() + " step " + k + " trained with its status's values");
                    if (k > 0 && !m.replacedAt().contains(k)) {
                        assertEquals(m.hparamsAt(k - 1), m.hparamsAt(k), "a survivor keeps its values");
                    }
                }
                replaced += m.replacedAt().size();
            }
            assertEquals(2, replaced, "the bottom member replaced after generations 0 and 1");
            assertTrue(created.getMetadata().getUid() != null);
        }
    }

    /**
     * "pod A created before pod B finished", for pods A of step k + 1 and B of step k of another member.
     * Both times are whole seconds, rounded down, so a creation second before a finish second means
     * the creation came first: the list can be empty by chance, never hold a pair that was not so.
     */
    static List<String> wentOnBeforeAnotherFinished(List<Pod> pods) {
        List<String> out = new ArrayList<>();
        for (Pod next : pods) {
            Instant created = Instant.parse(next.getMetadata().getCreationTimestamp());
            for (Pod prev : pods) {
                if (PodStart.step(prev) == PodStart.step(next) - 1 && PodStart.member(prev) != PodStart.member(next)
                        && created.isBefore(PodStart.podFinished(prev))) {
                    out.add(next.getMetadata().getName() + " created " + created + ", "
                            + prev.getMetadata().getName() + " finished " + PodStart.podFinished(prev));
                }
            }
        }
        return out;
    }

    /** Every (member, step) arrived once, judged; the last step is "last". */
    static void judgedOnce(SearchStatus status, int population, int generations) {
        Set<String> seen = new HashSet<>();
        for (Arrival a : status.arrivals()) {
            assertTrue(a.verdict() != Arrival.Verdict.WAITING, "nobody is left waiting: " + a);
            assertTrue(seen.add(a.member() + "@" + a.step()), "judged once: " + a);
            assertEquals(a.step() == generations - 1, a.verdict() == Arrival.Verdict.LAST, a.toString());
        }
        assertEquals(population * generations, seen.size(), "every member-step arrived: " + status.arrivals());
    }
}
