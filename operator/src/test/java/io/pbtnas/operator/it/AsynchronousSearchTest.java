package io.pbtnas.operator.it;

import io.pbtnas.core.status.ConditionType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void anAsynchronousSearchJudgesEveryStepOnceWithoutAGenerationBarrier() throws Exception {
        try (Harness h = new Harness("async")) {
            h.create(Harness.searchYaml("async", FaultsTest.FAST, 6, 3, UNEVEN, "  schedule: asynchronous\n"));
            SearchStatus status = h.awaitPhase("async", Phase.COMPLETE, Duration.ofMinutes(4)).getStatus();
            judgedOnce(status, 6, 3);
            for (MemberStatus m : status.members()) {
                assertEquals(3, m.scores().size(), "member " + m.id() + ": " + m.scores());
            }
            // No barrier: some result of a later step arrived before another member's result of an earlier one.
            List<Arrival> log = status.arrivals();
            boolean overtaken = false;
            for (int i = 0; i < log.size(); i++) {
                for (int j = i + 1; j < log.size(); j++) {
                    overtaken |= log.get(i).step() > log.get(j).step();
                }
            }
            assertTrue(overtaken, "a member went on before a slower one finished its step: " + log);
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
