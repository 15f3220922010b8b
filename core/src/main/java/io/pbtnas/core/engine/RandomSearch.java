package io.pbtnas.core.engine;

import java.util.List;

/** Random architectures trained for the whole budget: nothing is ever replaced. */
public final class RandomSearch implements EvolutionStrategy {
    @Override
    public List<Replacement> replacements(GenerationContext ctx) {
        return List.of();
    }
}
