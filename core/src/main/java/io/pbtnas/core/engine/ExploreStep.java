package io.pbtnas.core.engine;

import io.pbtnas.core.model.Explore;
import io.pbtnas.core.space.Hyperparameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A child's hyperparameters: its parent's values, each explored as in Ray Tune's PBT. With
 * resampleProbability the value is drawn afresh from its prior; otherwise a continuous value is
 * multiplied by one of perturbationFactors (picked uniformly) and clamped to its range, and a
 * choice moves to the value before or after it in the list (picked uniformly, clamped at the ends).
 * Pure given the generator.
 */
public final class ExploreStep {
    private ExploreStep() {
    }

    public static Map<String, Object> explore(List<Hyperparameter> hyperparameters, Explore explore,
                                              Map<String, Object> parent, RandomGenerator rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Hyperparameter h : hyperparameters) {
            // The same draws for every entry whatever the outcome, so one entry's outcome never shifts
            // the stream of the next.
            boolean resample = rng.nextDouble() < explore.resampleProbability();
            Object fresh = PriorDraw.draw(h, rng);
            double factor = explore.perturbationFactors().get(rng.nextInt(explore.perturbationFactors().size()));
            int shift = rng.nextBoolean() ? 1 : -1;
            Object old = parent == null ? null : parent.get(h.name());
            out.put(h.name(), resample || !usable(h, old) ? fresh : perturbed(h, old, factor, shift));
        }
        return out;
    }

    static Object perturbed(Hyperparameter h, Object old, double factor, int shift) {
        if (h.prior() == Hyperparameter.Prior.CHOICE) {
            int i = indexOf(h.choice(), old);
            return h.choice().get(Math.max(0, Math.min(h.choice().size() - 1, i + shift)));
        }
        return Math.max(h.lo(), Math.min(h.hi(), ((Number) old).doubleValue() * factor));
    }

    /** Numbers compare by value, so 64 read back as a long still finds 64. */
    static int indexOf(List<Object> values, Object v) {
        for (int i = 0; i < values.size(); i++) {
            Object c = values.get(i);
            if (c instanceof Number a && v instanceof Number b ? a.doubleValue() == b.doubleValue() : c.equals(v)) {
                return i;
            }
        }
        return -1;
    }

    /** A parent value that cannot be explored (missing, or not in the list) is drawn afresh instead. */
    private static boolean usable(Hyperparameter h, Object old) {
        if (old == null) {
            return false;
        }
        return h.prior() == Hyperparameter.Prior.CHOICE ? indexOf(h.choice(), old) >= 0 : old instanceof Number;
    }
}
