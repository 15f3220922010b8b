package io.pbtnas.core.model;

/**
 * How many members are replaced after a generation and how many form the parent pool: the
 * bottom floor(replaceFraction·N) (at least 1) and the top floor(parentFraction·N) (at least
 * {@code minParents}). A pure function of the spec, shared by the validator and the engine.
 */
public record PopulationSplit(int replaced, int parents) {
    /** The smallest parent pool pbt-nas draws two distinct parents from. */
    public static final int MIN_PARENTS_PBT_NAS = 2;
    /** The smallest parent pool mutation copies one parent from. */
    public static final int MIN_PARENTS_MUTATION = 1;

    public static PopulationSplit of(int population, double replaceFraction, double parentFraction, int minParents) {
        int replaced = Math.max(1, (int) Math.floor(replaceFraction * population + 1e-9));
        int parents = Math.max(minParents, (int) Math.floor(parentFraction * population + 1e-9));
        return new PopulationSplit(replaced, parents);
    }

    /** Parents are never replaced in the same step, so the two groups must fit in the population. */
    public boolean fits(int population) {
        return replaced + parents <= population;
    }

    /** The smallest parent pool a strategy can draw from. */
    public static int minParents(Strategy strategy) {
        return strategy == Strategy.PBT_NAS ? MIN_PARENTS_PBT_NAS : MIN_PARENTS_MUTATION;
    }

    /** The smallest population a strategy can run: its parent pool plus one replaced member; random needs one. */
    public static int minPopulation(Strategy strategy) {
        return strategy.replaces() ? minParents(strategy) + 1 : 1;
    }
}
