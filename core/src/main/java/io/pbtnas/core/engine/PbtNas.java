package io.pbtnas.core.engine;

import io.pbtnas.core.model.PopulationSplit;

import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Mixing;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The paper's step: each replaced slot gets a child of two distinct parents drawn uniformly from
 * the pool; the better one is the parent, the other the donor; each gene independently takes the
 * donor's option (and its shrink-perturbed weights) with probability layerSwapProbability.
 * With selfMix the donor is the parent itself (the "no new architectures" ablation).
 */
public final class PbtNas implements EvolutionStrategy {

    @Override
    public List<Replacement> replacements(GenerationContext ctx) {
        Selected sel = Selected.of(ctx, minParents());
        List<Replacement> out = new ArrayList<>();
        for (int slot : sel.replaced()) {
            out.add(child(ctx, sel.pool(), slot));
        }
        return out;
    }

    @Override
    public int minParents() {
        return PopulationSplit.MIN_PARENTS_PBT_NAS;
    }

    @Override
    public Replacement childFor(GenerationContext ctx, List<MemberStatus> pool, int slot) {
        return child(ctx, pool, slot);
    }

    static Replacement child(GenerationContext ctx, List<MemberStatus> pool, int slot) {
        Mixing mixing = ctx.spec().mixing();
        SplittableRandom rng = Seeds.rng(ctx.spec().seed(), Seeds.SELECTION, ctx.generation(), slot);
        int i = rng.nextInt(pool.size());
        int j = rng.nextInt(pool.size() - 1);
        if (j >= i) {
            j++;
        }
        MemberStatus parent = pool.get(Math.min(i, j)); // the pool is ranked best first
        MemberStatus donor = mixing.selfMix() ? parent : pool.get(Math.max(i, j));
        Genome child = new Genome(parent.genome());
        List<String> swapped = new ArrayList<>();
        for (Gene g : ctx.spec().searchSpace().genes()) {
            // One draw per gene, always, so the stream stays aligned whatever the outcome.
            if (rng.nextDouble() < mixing.layerSwapProbability()) {
                swapped.add(g.name());
                child = child.with(g.name(), donor.genome().get(g.name()));
            }
        }
        long mixSeed = rng.nextLong();
        LineageEntry entry = new LineageEntry(ctx.generation() + 1, LineageEntry.Kind.MIX, parent.id(), donor.id(),
                swapped, null, mixing.shrink(), mixing.perturb(), mixSeed);
        return new Replacement(slot, child, entry);
    }
}
