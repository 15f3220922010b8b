package io.pbtnas.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.Explore;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Strategy;
import io.pbtnas.core.space.Hyperparameter;
import io.pbtnas.core.space.SearchSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hyperparameters under the synchronous schedule: drawn, inherited, explored, carried to the trainer. */
class HyperparameterSearchTest {
    static final List<Hyperparameter> HPARAMS = List.of(Hyperparameter.logUniform("learningRate", 1e-4, 1e-2),
            Hyperparameter.uniform("weightDecay", 0, 1e-3), Hyperparameter.choice("batchSize", List.of(32, 64, 128)));
    static final SearchSpace WITH = new SearchSpace(EngineTest.SPACE.genes(), HPARAMS);
    static final Explore PERTURB_ONLY = new Explore(0.0, List.of(0.8, 1.2));

    static SearchSpec spec(Strategy strategy, SearchSpace space, Explore explore) {
        return new SearchSpec(strategy, 8, 5, 2, null, 42L, null, null, space, null, null, null, null, explore, null);
    }

    @Test
    void addingHyperparametersLeavesTheArchitectureDecisionsAsTheyWere() {
        for (Strategy s : Strategy.values()) {
            SearchStatus without = new Simulation().run(spec(s, EngineTest.SPACE, null), Simulation::succeed).status;
            SearchStatus with = new Simulation().run(spec(s, WITH, null), Simulation::succeed).status;
            for (int m = 0; m < 8; m++) {
                MemberStatus a = without.member(m);
                MemberStatus b = with.member(m);
                assertEquals(a.genome(), b.genome(), s + " member " + m);
                assertEquals(a.lineage(), b.lineage(), s + " member " + m);
                assertEquals(a.scores(), b.scores(), s + " member " + m);
                assertEquals(List.of(), a.hparams());
                assertEquals(5, b.hparams().size(), "one value map per generation");
            }
        }
        // Without hyperparameters the status and the actions carry none, and the JSON has no trace of them.
        Simulation plain = new Simulation().run(spec(Strategy.PBT_NAS, EngineTest.SPACE, null), Simulation::succeed);
        assertFalse(Json.write(plain.status).contains("hparams"));
        assertTrue(plain.decisions.stream().flatMap(d -> d.actions().stream())
                .allMatch(a -> !(a instanceof Action.Train t) || t.hparams().isEmpty()));
    }

    @Test
    void childrenExploreTheirParentsValuesAndSurvivorsKeepTheirs() {
        SearchSpec spec = spec(Strategy.PBT_NAS, WITH, PERTURB_ONLY);
        Simulation sim = new Simulation().run(spec, Simulation::succeed);
        SearchStatus end = sim.status;
        assertEquals(Phase.COMPLETE, end.phase());
        for (int m = 0; m < 8; m++) {
            assertEquals(PriorDraw.initial(42, HPARAMS, m), end.member(m).hparamsAt(0), "generation 0 is drawn");
        }
        int children = 0;
        for (MemberStatus m : end.members()) {
            for (int g = 1; g < 5; g++) {
                Map<String, Object> now = m.hparamsAt(g);
                var started = m.startedAt(g);
                if (started.isEmpty()) {
                    assertEquals(m.hparamsAt(g - 1), now, "a survivor keeps its values");
                    continue;
                }
                children++;
                Map<String, Object> parent = end.member(started.get().parent()).hparamsAt(g - 1);
                for (Hyperparameter h : HPARAMS.subList(0, 2)) {
                    double p = (double) parent.get(h.name());
                    double c = (double) now.get(h.name());
                    assertTrue(c == Math.min(h.hi(), p * 1.2) || c == Math.max(h.lo(), p * 0.8),
                            h.name() + ": " + p + " → " + c);
                }
                int from = h(parent);
                int to = h(now);
                assertTrue(Math.abs(to - from) == 1 || (to == from && (from == 0 || from == 2)),
                        "batchSize " + parent.get("batchSize") + " → " + now.get("batchSize"));
            }
        }
        assertEquals(2 * 4, children);
        // Every Train action carries the member's values of that generation.
        for (Decision d : sim.decisions) {
            for (Action a : d.actions()) {
                if (a instanceof Action.Train t) {
                    assertEquals(end.member(t.member()).hparamsAt(t.generation()), t.hparams());
                }
            }
        }
    }

    private static int h(Map<String, Object> values) {
        return List.<Object>of(32, 64, 128).indexOf(values.get("batchSize"));
    }

    @Test
    void mutationExploresAndRandomNeverChanges() {
        SearchStatus random = new Simulation().run(spec(Strategy.RANDOM, WITH, null), Simulation::succeed).status;
        for (MemberStatus m : random.members()) {
            assertTrue(m.hparams().stream().allMatch(v -> v.equals(m.hparamsAt(0))), "random draws once");
        }
        SearchStatus mutation = new Simulation().run(spec(Strategy.MUTATION, WITH, PERTURB_ONLY), Simulation::succeed)
                .status;
        int explored = 0;
        for (MemberStatus m : mutation.members()) {
            for (LineageEntry e : m.lineage()) {
                if (e.kind() == LineageEntry.Kind.INITIAL) {
                    continue;
                }
                Map<String, Object> parent = mutation.member(e.parent()).hparamsAt(e.generation() - 1);
                double p = (double) parent.get("learningRate");
                double c = (double) m.hparamsAt(e.generation()).get("learningRate");
                assertTrue(c == Math.min(1e-2, p * 1.2) || c == Math.max(1e-4, p * 0.8), p + " → " + c);
                explored++;
            }
        }
        assertEquals(2 * 4, explored, "even a copy explores its hyperparameters");
    }

    @Test
    void plainPbtRunsWithEveryStrategy() {
        SearchSpace plain = new SearchSpace(List.of(), HPARAMS);
        for (Strategy s : Strategy.values()) {
            SearchSpec spec = spec(s, plain, null);
            Simulation sim = new Simulation().run(spec, HyperparameterSearchTest::byLearningRate);
            assertEquals(Phase.COMPLETE, sim.status.phase(), s + ": " + sim.status.message());
            assertEquals(Map.of(), sim.status.best().genome());
            if (s.replaces()) {
                assertEquals(2 * 4, sim.status.members().stream().mapToInt(m -> m.replacedAt().size()).sum());
            }
        }
        // A child of a plain PBT search is its parent's weights with no layer swapped: exploit, then explore.
        Simulation pbt = new Simulation().run(spec(Strategy.PBT_NAS, plain, null), HyperparameterSearchTest::byLearningRate);
        pbt.decisions.stream().flatMap(d -> d.actions().stream()).filter(a -> a instanceof Action.Train t
                && t.mix() != null).forEach(a -> assertEquals(List.of(), ((Action.Train) a).mix().swappedGenes()));
        // Selection by a score that prefers learning rates near 1e-3 moves the population toward it.
        double first = pbt.status.members().stream().mapToDouble(m -> distance(m.hparamsAt(0))).average().orElseThrow();
        double last = pbt.status.members().stream().mapToDouble(m -> distance(m.hparamsAt(4))).average().orElseThrow();
        assertTrue(last < first, "mean |log10(lr) + 3|: " + first + " → " + last);
    }

    private static double distance(Map<String, Object> v) {
        return Math.abs(Math.log10((double) v.get("learningRate")) + 3);
    }

    static MemberResult byLearningRate(Action.Train t) {
        return MemberResult.succeeded(t.member(), t.generation(), t.attempt(), -distance(t.hparams()));
    }

    @Test
    void theStatusWithValuesRoundTripsThroughJson() {
        Simulation sim = new Simulation().run(spec(Strategy.PBT_NAS, WITH, null), Simulation::succeed);
        for (Decision d : sim.decisions) {
            assertEquals(d.status(), ClockSimulation.throughJson(d.status()));
        }
        String json = Json.write(sim.status.member(0));
        assertTrue(json.contains("\"hparams\":[{\"learningRate\":"), json);
    }
}
