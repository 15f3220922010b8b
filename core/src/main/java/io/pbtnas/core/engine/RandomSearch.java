package io.pbtnas.core.engine;

import java.util.List;

/** Random architectures trained for the whole budget: nothing is ever replaced. */
public final class RandomSearch implements EvolutionStrategy {
    @Override
    public List<Replacement> replacements(GenerationContext ctx) {
        return List.of();
    }

    @Override
    public int minParents() {
        return 0;
    }

    @Override
    public Replacement childFor(GenerationContext ctx, List<io.pbtnas.core.model.MemberStatus> pool, int slot) {
        throw new UnsupportedOperationException("random search never replaces a member");
    }
}
