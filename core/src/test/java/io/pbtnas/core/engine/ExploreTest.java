package io.pbtnas.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.model.Explore;
import io.pbtnas.core.space.Hyperparameter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The prior draws and the explore step (Ray Tune's PBT explore). */
class ExploreTest {
    static final Hyperparameter LR = Hyperparameter.logUniform("learningRate", 1e-4, 1e-2);
    static final Hyperparameter WD = Hyperparameter.uniform("weightDecay", 0, 1e-3);
    static final Hyperparameter BS = Hyperparameter.choice("batchSize", List.of(32, 64, 128));
    static final List<Hyperparameter> ALL = List.of(LR, WD, BS);
    static final Explore PERTURB_ONLY = new Explore(0.0, List.of(0.8, 1.2));
    static final int N = 20_000;

    /** 5 standard errors of a frequency p over n draws: a correct sampler fails with probability < 1e-6. */
    static double tolerance(double p, int n) {
        return 5 * Math.sqrt(p * (1 - p) / n);
    }

    @Test
    void priorsDrawInTheirRangeWithTheirShape() {
        SplittableRandom rng = new SplittableRandom(1);
        int belowGeometricMean = 0;
        int belowMid = 0;
        Map<Object, Integer> counts = new HashMap<>();
        for (int i = 0; i < N; i++) {
            double lr = (double) PriorDraw.draw(LR, rng);
            double wd = (double) PriorDraw.draw(WD, rng);
            assertTrue(lr >= 1e-4 && lr <= 1e-2, "lr " + lr);
            assertTrue(wd >= 0 && wd <= 1e-3, "wd " + wd);
            belowGeometricMean += lr < 1e-3 ? 1 : 0; // log-uniform: half below sqrt(lo·hi)
            belowMid += wd < 5e-4 ? 1 : 0;
            counts.merge(PriorDraw.draw(BS, rng), 1, Integer::sum);
        }
        assertEquals(0.5, belowGeometricMean / (double) N, tolerance(0.5, N));
        assertEquals(0.5, belowMid / (double) N, tolerance(0.5, N));
        assertEquals(List.of(32, 64, 128).stream().sorted().toList(),
                counts.keySet().stream().map(o -> (Integer) o).sorted().toList());
        for (int c : counts.values()) {
            assertEquals(1 / 3.0, c / (double) N, tolerance(1 / 3.0, N));
        }
    }

    @Test
    void generationZeroDrawsAreSeededBySearchSeedAndMember() {
        Map<String, Object> a = PriorDraw.initial(42, ALL, 3);
        assertEquals(a, PriorDraw.initial(42, ALL, 3));
        assertEquals(List.of("learningRate", "weightDecay", "batchSize"), List.copyOf(a.keySet()));
        assertNotEquals(a, PriorDraw.initial(42, ALL, 4));
        assertNotEquals(a, PriorDraw.initial(43, ALL, 3));
        assertEquals(Map.of(), PriorDraw.initial(42, List.of(), 3));
    }

    @Test
    void perturbationMultipliesByOneOfTheFactorsUniformly() {
        Map<String, Object> parent = Map.of("learningRate", 1e-3, "weightDecay", 5e-4, "batchSize", 64);
        SplittableRandom rng = new SplittableRandom(7);
        int up = 0;
        for (int i = 0; i < N; i++) {
            Map<String, Object> child = ExploreStep.explore(ALL, PERTURB_ONLY, parent, rng);
            double lr = (double) child.get("learningRate");
            assertTrue(lr == 1e-3 * 0.8 || lr == 1e-3 * 1.2, "lr " + lr);
            double wd = (double) child.get("weightDecay");
            assertTrue(wd == 5e-4 * 0.8 || wd == 5e-4 * 1.2, "wd " + wd);
            up += lr > 1e-3 ? 1 : 0;
        }
        assertEquals(0.5, up / (double) N, tolerance(0.5, N));
        // Three factors: each a third of the time.
        Explore three = new Explore(0.0, List.of(0.5, 1.0, 2.0));
        Map<Double, Integer> counts = new HashMap<>();
        for (int i = 0; i < N; i++) {
            counts.merge((double) ExploreStep.explore(List.of(WD), three, parent, rng).get("weightDecay"), 1,
                    Integer::sum);
        }
        assertEquals(3, counts.size(), counts.toString());
        counts.values().forEach(c -> assertEquals(1 / 3.0, c / (double) N, tolerance(1 / 3.0, N)));
    }

    @Test
    void perturbedValuesAreClampedToTheRange() {
        SplittableRandom rng = new SplittableRandom(3);
        Map<String, Object> atTop = Map.of("learningRate", 1e-2, "weightDecay", 1e-3);
        Map<String, Object> atBottom = Map.of("learningRate", 1e-4, "weightDecay", 0.0);
        for (int i = 0; i < 200; i++) {
            Map<String, Object> hi = ExploreStep.explore(List.of(LR, WD), PERTURB_ONLY, atTop, rng);
            assertTrue(List.of(1e-2, 1e-2 * 0.8).contains(hi.get("learningRate")), hi.toString());
            assertTrue(List.of(1e-3, 1e-3 * 0.8).contains(hi.get("weightDecay")), hi.toString());
            Map<String, Object> lo = ExploreStep.explore(List.of(LR, WD), PERTURB_ONLY, atBottom, rng);
            assertTrue(List.of(1e-4, 1e-4 * 1.2).contains(lo.get("learningRate")), lo.toString());
            assertEquals(0.0, lo.get("weightDecay"), "0 times any factor stays 0");
        }
        // An out-of-range factor result is clamped exactly to the bound.
        assertEquals(1e-2, ExploreStep.perturbed(LR, 9e-3, 1.2, 1));
        assertEquals(1e-4, ExploreStep.perturbed(LR, 1.1e-4, 0.8, 1));
    }

    @Test
    void aChoiceMovesToANeighbourClampedAtTheEnds() {
        SplittableRandom rng = new SplittableRandom(5);
        Map<Object, Integer> fromMiddle = new HashMap<>();
        Map<Object, Integer> fromFirst = new HashMap<>();
        Map<Object, Integer> fromLast = new HashMap<>();
        for (int i = 0; i < N; i++) {
            fromMiddle.merge(ExploreStep.explore(List.of(BS), PERTURB_ONLY, Map.of("batchSize", 64), rng)
                    .get("batchSize"), 1, Integer::sum);
            fromFirst.merge(ExploreStep.explore(List.of(BS), PERTURB_ONLY, Map.of("batchSize", 32), rng)
                    .get("batchSize"), 1, Integer::sum);
            fromLast.merge(ExploreStep.explore(List.of(BS), PERTURB_ONLY, Map.of("batchSize", 128), rng)
                    .get("batchSize"), 1, Integer::sum);
        }
        assertEquals(java.util.Set.of(32, 128), fromMiddle.keySet(), "never stays, never jumps two");
        assertEquals(0.5, fromMiddle.get(32) / (double) N, tolerance(0.5, N));
        assertEquals(java.util.Set.of(32, 64), fromFirst.keySet(), "clamped at the first value");
        assertEquals(0.5, fromFirst.get(32) / (double) N, tolerance(0.5, N));
        assertEquals(java.util.Set.of(64, 128), fromLast.keySet(), "clamped at the last value");
        // A value read back as another number type is still found in the list.
        assertEquals(1, ExploreStep.indexOf(BS.choice(), 64L));
    }

    @Test
    void withResampleProbabilityAValueIsDrawnFromThePrior() {
        Explore quarter = new Explore(0.25, List.of(0.8, 1.2));
        Map<String, Object> parent = Map.of("learningRate", 1e-3, "weightDecay", 5e-4, "batchSize", 64);
        SplittableRandom rng = new SplittableRandom(11);
        int resampled = 0;
        int stayedOnChoice = 0;
        for (int i = 0; i < N; i++) {
            Map<String, Object> child = ExploreStep.explore(ALL, quarter, parent, rng);
            double lr = (double) child.get("learningRate");
            assertTrue(lr >= 1e-4 && lr <= 1e-2);
            resampled += lr != 1e-3 * 0.8 && lr != 1e-3 * 1.2 ? 1 : 0;
            // A choice only stays put when resampled to the same value: 0.25 · 1/3.
            stayedOnChoice += child.get("batchSize").equals(64) ? 1 : 0;
        }
        assertEquals(0.25, resampled / (double) N, tolerance(0.25, N));
        assertEquals(0.25 / 3, stayedOnChoice / (double) N, tolerance(0.25 / 3, N));
        Explore always = new Explore(1.0, List.of(0.8, 1.2));
        Map<String, Object> fresh = ExploreStep.explore(ALL, always, parent, new SplittableRandom(2));
        assertEquals(PriorDraw.draw(LR, rngAfterOneDouble(2)), fresh.get("learningRate"),
                "p = 1: the learning rate is the prior's draw");
    }

    /** The stream the explore step draws the first prior value from (one double for the resample coin). */
    private static SplittableRandom rngAfterOneDouble(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        r.nextDouble();
        return r;
    }

    @Test
    void missingOrUnknownParentValuesAreDrawnAfresh() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int i = 0; i < 100; i++) {
            Map<String, Object> child = ExploreStep.explore(ALL, PERTURB_ONLY, Map.of("batchSize", 48), rng);
            assertTrue(BS.choice().contains(child.get("batchSize")));
            double lr = (double) child.get("learningRate");
            assertTrue(lr >= 1e-4 && lr <= 1e-2);
        }
        Map<String, Object> parent = Map.of("learningRate", 1e-3, "weightDecay", 5e-4, "batchSize", 64);
        assertEquals(ExploreStep.explore(ALL, PERTURB_ONLY, parent, new SplittableRandom(99)),
                ExploreStep.explore(ALL, PERTURB_ONLY, parent, new SplittableRandom(99)), "pure given the stream");
    }
}
