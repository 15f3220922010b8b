package io.pbtnas.core.engine;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.json.Json;
import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.FailurePolicy;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Mixing;
import io.pbtnas.core.model.Objective;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.PopulationSplit;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Selection;
import io.pbtnas.core.model.Strategy;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineTest {
    static final List<String> OPS = List.of("conv3x3", "conv5x5", "sepconv3x3", "dilconv3x3", "maxpool", "skip");
    static final SearchSpace SPACE = new SearchSpace(List.of(new Gene("cell0", OPS), new Gene("cell1", OPS),
            new Gene("cell2", OPS), new Gene("cell3", OPS)));

    static SearchSpec spec(Strategy strategy, int population, int generations) {
        return new SearchSpec(strategy, population, generations, 2, null, 42L, null, null, SPACE, null, null, null,
                null);
    }

    @Test
    void identicalInputsGiveIdenticalPlans() {
        SearchSpec spec = spec(Strategy.PBT_NAS, 8, 4);
        Simulation a = new Simulation().run(spec, Simulation::succeed);
        Simulation b = new Simulation().run(spec, Simulation::succeed);
        assertEquals(a.decisions, b.decisions);
        // Re-deciding from any intermediate status with the same observations is idempotent,
        // also after the status went through JSON (the only state an operator keeps).
        for (int i = 1; i < a.decisions.size(); i++) {
            SearchStatus before = a.decisions.get(i - 1).status();
            List<MemberResult> obs = a.decisions.get(i - 1).actions().stream()
                    .map(x -> Simulation.succeed((Action.Train) x)).toList();
            SearchStatus restored = Json.MAPPER.convertValue(Json.MAPPER.valueToTree(before), SearchStatus.class);
            assertEquals(before, restored);
            assertEquals(a.decisions.get(i), Engine.decide(spec, restored, obs));
        }
        // No observations: the same Train actions are re-emitted and nothing changes.
        Decision mid = a.decisions.get(2);
        Decision again = Engine.decide(spec, mid.status(), List.of());
        assertEquals(mid.actions(), again.actions());
        assertEquals(mid.status().members(), again.status().members());
    }

    @Test
    void runsTheWholeSearchAndReplacesTheBottomByMixesOfBetterParents() {
        SearchSpec spec = spec(Strategy.PBT_NAS, 8, 5);
        Simulation sim = new Simulation().run(spec, Simulation::succeed);
        SearchStatus end = sim.status;
        assertEquals(Phase.COMPLETE, end.phase());
        assertEquals(List.of(new Action.Finish(end.best().member())), sim.last().actions());
        assertEquals(4, end.generation());
        PopulationSplit split = PopulationSplit.of(8, 0.25, 0.25, 2);
        for (int g = 1; g < 5; g++) {
            int gen = g;
            List<MemberStatus> replaced = end.members().stream().filter(m -> m.replacedAt().contains(gen)).toList();
            assertEquals(split.replaced(), replaced.size(), "replaced after generation " + (g - 1));
            for (MemberStatus m : replaced) {
                LineageEntry e = m.startedAt(gen).orElseThrow();
                assertEquals(LineageEntry.Kind.MIX, e.kind());
                double parent = end.member(e.parent()).scoreAt(gen - 1).orElseThrow();
                double donor = end.member(e.donor()).scoreAt(gen - 1).orElseThrow();
                assertTrue(parent >= donor, "parent " + e.parent() + " is the better of the two");
                assertFalse(e.parent().equals(e.donor()), "two distinct parents");
                double worstSurvivor = end.members().stream().filter(x -> !x.replacedAt().contains(gen))
                        .mapToDouble(x -> x.scoreAt(gen - 1).orElseThrow()).min().orElseThrow();
                assertTrue(m.scoreAt(gen - 1).orElseThrow() <= worstSurvivor, "the bottom is replaced");
            }
        }
        // Train actions: epochs, inputs and mix plans follow the layout.
        for (Decision d : sim.decisions) {
            for (Action a : d.actions()) {
                if (a instanceof Action.Train t) {
                    assertEquals(2 * t.generation(), t.epochFrom());
                    assertEquals(2 * t.generation() + 2, t.epochTo());
                    if (t.generation() == 0) {
                        assertNull(t.inputCheckpoint());
                    } else if (t.mix() == null) {
                        assertEquals(CheckpointLayout.relativeModel(t.member(), t.generation() - 1, 0),
                                t.inputCheckpoint());
                    } else {
                        assertEquals(CheckpointLayout.relativeInput(t.member(), t.generation()), t.inputCheckpoint());
                        assertEquals(CheckpointLayout.relativeModel(t.mix().parent(), t.generation() - 1, 0),
                                t.mix().parentCheckpoint());
                        assertEquals(0.4, t.mix().shrink());
                        assertEquals(0.1, t.mix().perturb());
                    }
                    SPACE.check(t.genome());
                }
            }
        }
        double bestScore = end.members().stream().mapToDouble(m -> m.scoreAt(4).orElseThrow()).max().orElseThrow();
        assertEquals(bestScore, end.best().score());
        assertEquals(ConditionStatus.TRUE, end.condition("Complete").orElseThrow().status());
    }

    @Test
    void selectionSizesForSeveralPopulations() {
        // population → (replaced, parents) with the defaults 0.25 / 0.25: floor, at least 1 replaced, 2 parents.
        Map<Integer, List<Integer>> expected = Map.of(3, List.of(1, 2), 4, List.of(1, 2), 8, List.of(2, 2),
                10, List.of(2, 2), 16, List.of(4, 4), 33, List.of(8, 8), 100, List.of(25, 25));
        expected.forEach((n, want) -> {
            PopulationSplit s = PopulationSplit.of(n, 0.25, 0.25, 2);
            assertEquals(want, List.of(s.replaced(), s.parents()), "population " + n);
        });
        for (int n : List.of(4, 10, 16)) {
            SearchStatus end = new Simulation().run(spec(Strategy.PBT_NAS, n, 2), Simulation::succeed).status;
            long replaced = end.members().stream().filter(m -> m.replacedAt().contains(1)).count();
            assertEquals(expected.get(n).get(0), (int) replaced, "engine replaces as many for population " + n);
            for (MemberStatus m : end.members()) {
                m.startedAt(1).ifPresent(e -> {
                    List<Integer> pool = end.members().stream()
                            .sorted((a, b) -> Double.compare(b.scoreAt(0).orElseThrow(), a.scoreAt(0).orElseThrow()))
                            .limit(expected.get(n).get(1)).map(MemberStatus::id).toList();
                    assertTrue(pool.contains(e.parent()) && pool.contains(e.donor()), "parents come from the pool");
                });
            }
        }
    }

    @Test
    void geneSwapFrequencyIsCloseToTheConfiguredProbability() {
        double p = 0.25;
        SearchSpec spec = spec(Strategy.PBT_NAS, 8, 2).withDefaults();
        List<MemberStatus> ranking = new ArrayList<>();
        for (int m = 0; m < 8; m++) {
            ranking.add(new MemberStatus(m, SPACE.random(new java.util.SplittableRandom(m)).choices(),
                    List.of(1.0 - m), null, null, null, null, 0, MemberState.DONE, null));
        }
        int draws = 0;
        int swaps = 0;
        for (int g = 0; g < 2500; g++) {
            GenerationContext ctx = new GenerationContext(spec, g, ranking, List.of(), 8, false);
            for (int slot = 0; slot < 4; slot++) {
                Replacement r = PbtNas.child(ctx, ranking.subList(0, 2), slot);
                swaps += r.lineage().swappedGenes().size();
                draws += SPACE.genes().size();
            }
        }
        // 40,000 Bernoulli(0.25) draws: standard error sqrt(p(1-p)/n) = 0.0022. A tolerance of 5 SE (0.011)
        // fails a correct sampler with probability < 1e-6 yet catches e.g. p=0.2 or p=0.3 (23 SE away).
        double freq = (double) swaps / draws;
        assertEquals(p, freq, 5 * Math.sqrt(p * (1 - p) / draws), "swap frequency " + freq);
    }

    @Test
    void theLastGenerationNeverMixesAndOffGenerationsKeepEveryone() {
        SearchSpec one = spec(Strategy.PBT_NAS, 8, 1);
        Simulation sim = new Simulation().run(one, Simulation::succeed);
        assertEquals(Phase.COMPLETE, sim.status.phase());
        assertTrue(sim.status.members().stream().allMatch(m -> m.replacedAt().isEmpty()));

        SearchSpec off = new SearchSpec(Strategy.PBT_NAS, 8, 4, 1, null, 1L, null,
                new Mixing(null, null, null, null, List.of(0, 2)), SPACE, null, null, null, null);
        SearchStatus end = new Simulation().run(off, Simulation::succeed).status;
        for (MemberStatus m : end.members()) {
            assertFalse(m.replacedAt().contains(1) || m.replacedAt().contains(3), "no mixing after off generations");
            assertFalse(m.replacedAt().contains(4), "nothing after the last generation");
        }
        assertEquals(2, end.members().stream().filter(m -> m.replacedAt().contains(2)).count());
    }

    @Test
    void loweringGenerationsMidSearchEndsAtTheGenerationReached() {
        SearchSpec five = spec(Strategy.PBT_NAS, 8, 5);
        Decision d = Engine.decide(five, null, List.of());
        // Finish generations 0..2 under the original spec.
        while (d.status().generation() < 3) {
            List<MemberResult> results = new ArrayList<>();
            for (Action a : d.actions()) {
                results.add(Simulation.succeed((Action.Train) a));
            }
            d = Engine.decide(five, d.status(), results);
        }
        assertEquals(3, d.status().generation());
        // The user lowers spec.generations to 2, below the generation already running.
        SearchSpec two = spec(Strategy.PBT_NAS, 8, 2);
        List<MemberResult> results = new ArrayList<>();
        for (Action a : d.actions()) {
            results.add(Simulation.succeed((Action.Train) a));
        }
        Decision end = Engine.decide(two, d.status(), results);
        assertEquals(Phase.COMPLETE, end.status().phase(), end.status().message());
        assertEquals(3, end.status().best().generation());
        assertTrue(end.status().members().stream().noneMatch(m -> m.replacedAt().contains(4)),
                "no mixing after the last generation reached");
    }

    @Test
    void infeasibleSettingsAreRejectedWithClearMessages() {
        Decision tooSmall = Engine.decide(spec(Strategy.PBT_NAS, 2, 3), null, List.of());
        assertEquals(Phase.FAILED, tooSmall.status().phase());
        assertTrue(tooSmall.actions().isEmpty());
        assertTrue(tooSmall.status().message().contains("spec.population: 2 members cannot hold a parent pool of 2"),
                tooSmall.status().message());
        SearchSpec badFraction = new SearchSpec(null, 8, 3, null, null, null, new Selection(1.5, null), null, SPACE,
                null, null, null, null);
        String msg = Engine.decide(badFraction, null, List.of()).status().message();
        assertTrue(msg.contains("spec.selection.replaceFraction: must be in (0, 1), got 1.5"), msg);
        assertEquals(ConditionStatus.FALSE, Engine.decide(badFraction, null, List.of()).status().condition("Ready").orElseThrow()
                .status());
        // Random search never needs a pool: a population of 1 is fine.
        assertEquals(Phase.COMPLETE, new Simulation().run(spec(Strategy.RANDOM, 1, 2), Simulation::succeed)
                .status.phase());
    }

    @Test
    void failedMembersAreRetriedThenReplacedOrDropped() {
        // Member 3 always fails in generation 0.
        java.util.function.Function<Action.Train, MemberResult> flaky = t -> t.member() == 3 && t.generation() == 0
                ? MemberResult.failed(t.member(), t.generation(), t.attempt(), "CUDA out of memory")
                : Simulation.succeed(t);
        Simulation replace = new Simulation().run(spec(Strategy.PBT_NAS, 8, 3), flaky);
        List<Integer> attempts = replace.decisions.stream().flatMap(d -> d.actions().stream())
                .filter(a -> a instanceof Action.Train t && t.member() == 3 && t.generation() == 0)
                .map(a -> ((Action.Train) a).attempt()).toList();
        assertEquals(List.of(0, 1, 2), attempts, "maxRetries 2: three attempts");
        MemberStatus m3 = replace.status.member(3);
        assertEquals(List.of(0), m3.failedAt());
        assertTrue(m3.replacedAt().contains(1), "replaced like a bottom member");
        assertEquals(Phase.COMPLETE, replace.status.phase());
        assertEquals(2, replace.status.members().stream().filter(m -> m.replacedAt().contains(1)).count(),
                "the failed member takes one of the two bottom places");

        SearchSpec degrade = new SearchSpec(Strategy.PBT_NAS, 8, 3, 1, Objective.MAXIMIZE, 42L, null, null, SPACE,
                null, null, null, new FailurePolicy(0, FailurePolicy.OnExhausted.DEGRADE));
        Simulation dropped = new Simulation().run(degrade, flaky);
        assertEquals(MemberState.DROPPED, dropped.status.member(3).state());
        assertEquals(Phase.COMPLETE, dropped.status.phase());
        assertEquals(ConditionStatus.TRUE, dropped.status.condition("Degraded").orElseThrow().status());
        assertTrue(dropped.status.condition("Degraded").orElseThrow().message().contains("CUDA out of memory"));
        assertTrue(dropped.decisions.stream().flatMap(d -> d.actions().stream())
                .noneMatch(a -> a instanceof Action.Train t && t.member() == 3 && t.generation() > 0));
    }

    @Test
    void parallelismLimitsMembersTrainingAtOnce() {
        SearchSpec spec = new SearchSpec(Strategy.PBT_NAS, 6, 2, 1, null, 3L, null, null, SPACE, null, null, 2, null);
        Simulation sim = new Simulation().run(spec, Simulation::succeed);
        assertTrue(sim.decisions.stream().allMatch(d -> d.actions().size() <= 2));
        assertEquals(Phase.COMPLETE, sim.status.phase());
        // 6 members x 2 generations in pairs = 6 rounds of Train actions, then the Finish decision.
        assertEquals(6 * 2 / 2 + 1, sim.decisions.size());
    }

    @Test
    void mutationAndRandomBaselines() {
        SearchStatus random = new Simulation().run(spec(Strategy.RANDOM, 8, 4), Simulation::succeed).status;
        assertTrue(random.members().stream().allMatch(m -> m.replacedAt().isEmpty()));

        SearchSpec mutation = spec(Strategy.MUTATION, 20, 30);
        Simulation sim = new Simulation().run(mutation, Simulation::succeed);
        Map<LineageEntry.Kind, Integer> kinds = new java.util.EnumMap<>(LineageEntry.Kind.class);
        int resampled = 0;
        for (MemberStatus m : sim.status.members()) {
            for (LineageEntry e : m.lineage()) {
                kinds.merge(e.kind(), 1, Integer::sum);
                assertTrue(e.kind() == LineageEntry.Kind.INITIAL || e.parent().equals(e.donor()),
                        "a mutation copies one parent");
                if (e.resampledGenes() != null && !e.resampledGenes().isEmpty()) {
                    resampled++;
                }
            }
        }
        int children = 5 * 29; // 5 replaced per generation, 29 replacement steps
        assertEquals(children, kinds.getOrDefault(LineageEntry.Kind.COPY, 0)
                + kinds.getOrDefault(LineageEntry.Kind.MUTATION, 0));
        // Each of the three outcomes has probability 1/3: 145 children, SE = sqrt(145·(1/3)(2/3)) ≈ 5.7.
        assertEquals(children / 3.0, kinds.getOrDefault(LineageEntry.Kind.COPY, 0), 5 * 5.7);
        assertEquals(children / 3.0, resampled, 5 * 5.7);
        assertNotNull(sim.status.best());
    }
}
