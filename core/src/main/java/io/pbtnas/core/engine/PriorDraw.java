package io.pbtnas.core.engine;

import io.pbtnas.core.space.Hyperparameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Draws hyperparameter values from their priors. Pure given the generator. */
public final class PriorDraw {
    private PriorDraw() {
    }

    /** One value: log-uniform, uniform in [lo, hi), or a uniformly chosen listed value. */
    public static Object draw(Hyperparameter h, RandomGenerator rng) {
        return switch (h.prior()) {
            case LOG_UNIFORM -> clamp(Math.exp(Math.log(h.lo()) + rng.nextDouble() * (Math.log(h.hi())
                    - Math.log(h.lo()))), h);
            case UNIFORM -> h.lo() + rng.nextDouble() * (h.hi() - h.lo());
            case CHOICE -> h.choice().get(rng.nextInt(h.choice().size()));
        };
    }

    /** Every hyperparameter, in order: a generation-0 member's values. Empty for none. */
    public static Map<String, Object> drawAll(List<Hyperparameter> hyperparameters, RandomGenerator rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Hyperparameter h : hyperparameters) {
            out.put(h.name(), draw(h, rng));
        }
        return out;
    }

    /** The values of a generation-0 member, seeded by (search seed, purpose, member). */
    public static Map<String, Object> initial(long searchSeed, List<Hyperparameter> hyperparameters, int member) {
        return drawAll(hyperparameters, Seeds.rng(searchSeed, Seeds.HPARAMS, 0, member));
    }

    /** exp(log(x)) may land an ulp outside the range. */
    static double clamp(double v, Hyperparameter h) {
        return Math.max(h.lo(), Math.min(h.hi(), v));
    }
}
