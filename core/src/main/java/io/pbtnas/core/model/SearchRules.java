package io.pbtnas.core.model;

import io.pbtnas.core.space.Hyperparameter;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * The search's own rules (population, generations, selection, mixing, search space, hyperparameters,
 * explore, storage retention, failure policy): what the engine needs to decide. The trainer's pod settings
 * are judged by {@code validation.SpecValidator}, which adds them. Each problem reads
 * "spec.field.path: what is wrong and how to fix it". Pure.
 */
public final class SearchRules {
    private SearchRules() {
    }

    /** Problems of the search's own fields after defaults are applied; empty when the engine can run it. */
    public static List<String> problems(SearchSpec raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            out.add("spec: required");
            return out;
        }
        SearchSpec spec = raw.withDefaults();
        if (spec.population() == null) {
            out.add("spec.population: required, the number of members (an integer >= 1)");
        } else if (spec.population() < 1) {
            out.add("spec.population: must be >= 1, got " + spec.population());
        } else if (spec.population() > SearchSpec.MAX_POPULATION) {
            out.add("spec.population: must be at most " + SearchSpec.MAX_POPULATION + ", got " + spec.population()
                    + "; the status keeps every member, so split a larger search into several searches");
        }
        if (spec.generations() == null) {
            out.add("spec.generations: required, the number of training steps (an integer >= 1)");
        } else if (spec.generations() < 1) {
            out.add("spec.generations: must be >= 1, got " + spec.generations());
        }
        if (spec.epochsPerGeneration() < 1) {
            out.add("spec.epochsPerGeneration: must be >= 1, got " + spec.epochsPerGeneration());
        }
        double tau = spec.selection().replaceFraction();
        double rho = spec.selection().parentFraction();
        if (!(tau > 0 && tau < 1)) {
            out.add("spec.selection.replaceFraction: must be in (0, 1), got " + tau);
        }
        if (!(rho > 0 && rho <= 1)) {
            out.add("spec.selection.parentFraction: must be in (0, 1], got " + rho);
        }
        Mixing mix = spec.mixing();
        if (!(mix.layerSwapProbability() >= 0 && mix.layerSwapProbability() <= 1)) {
            out.add("spec.mixing.layerSwapProbability: must be in [0, 1], got " + mix.layerSwapProbability());
        }
        if (!(mix.shrink() >= 0) || mix.shrink().isInfinite()) {
            out.add("spec.mixing.shrink: must be a finite number >= 0, got " + mix.shrink());
        }
        if (!(mix.perturb() >= 0) || mix.perturb().isInfinite()) {
            out.add("spec.mixing.perturb: must be a finite number >= 0, got " + mix.perturb());
        }
        if (spec.generations() != null) {
            for (Integer g : mix.offGenerations()) {
                if (g == null || g < 0 || g >= spec.generations() - 1) {
                    out.add("spec.mixing.offGenerations: " + g + " is not a generation after which members could "
                            + "be replaced; use values in [0, " + (spec.generations() - 2) + "]");
                }
            }
        }
        if (spec.parallelism() != null && spec.parallelism() < 1) {
            out.add("spec.parallelism: must be >= 1, got " + spec.parallelism());
        }
        if (spec.storage() != null && spec.storage().keepGenerations() != null
                && spec.storage().keepGenerations() < 1) {
            out.add("spec.storage.keepGenerations: must be >= 1 (the generation the next steps read), got "
                    + spec.storage().keepGenerations() + "; omit it to keep every checkpoint");
        }
        if (spec.failurePolicy().maxRetries() < 0) {
            out.add("spec.failurePolicy.maxRetries: must be >= 0, got " + spec.failurePolicy().maxRetries());
        }
        SearchSpace space = spec.searchSpace();
        if (space == null) {
            out.add("spec.searchSpace: required, e.g. {genes: [{name: cell0, options: [conv3x3, skip]}]}");
        } else {
            out.addAll(space.problems("spec.searchSpace"));
        }
        feasibility(spec, out);
        hyperparameterProblems(spec, out);
        return out;
    }

    /**
     * spec.explore, and hyperparameters against the rest of the spec (their own checks are in
     * {@link SearchSpace#problems}): a name also in trainer.args would reach the trainer twice.
     */
    private static void hyperparameterProblems(SearchSpec spec, List<String> out) {
        Explore explore = spec.explore();
        Double p = explore.resampleProbability();
        if (!(p >= 0 && p <= 1)) {
            out.add("spec.explore.resampleProbability: must be in [0, 1], got " + p);
        }
        List<Double> factors = explore.perturbationFactors();
        if (factors.isEmpty()) {
            out.add("spec.explore.perturbationFactors: must list at least one factor, e.g. [0.8, 1.2]");
        }
        for (int i = 0; i < factors.size(); i++) {
            Double f = factors.get(i);
            if (f == null || !(f > 0) || f.isInfinite()) {
                out.add("spec.explore.perturbationFactors[" + i + "]: must be a finite number > 0, got " + f);
            }
        }
        if (spec.searchSpace() == null || spec.trainer() == null || spec.trainer().args() == null) {
            return;
        }
        List<Hyperparameter> hs = spec.searchSpace().hyperparameters();
        for (int i = 0; i < hs.size(); i++) {
            Hyperparameter h = hs.get(i);
            if (h != null && h.name() != null && spec.trainer().args().containsKey(h.name())) {
                out.add("spec.searchSpace.hyperparameters[" + i + "].name: '" + h.name() + "' is also set in "
                        + "spec.trainer.args; remove it from one of them (the search explores it, args fix it)");
            }
        }
    }

    private static void feasibility(SearchSpec spec, List<String> out) {
        Integer n = spec.population();
        double tau = spec.selection().replaceFraction();
        double rho = spec.selection().parentFraction();
        if (n == null || n < 1 || !spec.strategy().replaces() || !(tau > 0 && tau < 1) || !(rho > 0 && rho <= 1)) {
            return;
        }
        int minParents = PopulationSplit.minParents(spec.strategy());
        PopulationSplit split = PopulationSplit.of(n, tau, rho, minParents);
        if (!split.fits(n)) {
            out.add("spec.population: " + n + " members cannot hold a parent pool of " + split.parents()
                    + " (at least " + minParents + " for " + spec.strategy().code() + ") plus " + split.replaced()
                    + " replaced member(s); raise population to at least " + (split.replaced() + split.parents())
                    + ", lower spec.selection.parentFraction/replaceFraction, or use strategy random");
        }
    }
}
