package io.pbtnas.core.engine;

import io.pbtnas.core.model.PopulationSplit;

import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SEARL-like baseline: the child copies one parent drawn uniformly from the pool and, with 1/3
 * each, keeps it as is, perturbs every gene's weights (w + perturb·fresh), or gives one random
 * gene a different random option with fresh weights.
 */
public final class Mutation implements EvolutionStrategy {

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
        return PopulationSplit.MIN_PARENTS_MUTATION;
    }

    @Override
    public Replacement childFor(GenerationContext ctx, List<MemberStatus> pool, int slot) {
        return child(ctx, pool, slot);
    }

    static Replacement child(GenerationContext ctx, List<MemberStatus> pool, int slot) {
        SplittableRandom rng = Seeds.rng(ctx.spec().seed(), Seeds.SELECTION, ctx.generation(), slot);
        MemberStatus parent = pool.get(rng.nextInt(pool.size()));
        int kind = rng.nextInt(3);
        long mixSeed = rng.nextLong();
        int next = ctx.generation() + 1;
        Genome genome = new Genome(parent.genome());
        List<Gene> genes = ctx.spec().searchSpace().genes();
        if (kind == 1) {
            List<String> all = genes.stream().map(Gene::name).toList();
            return new Replacement(slot, genome, new LineageEntry(next, LineageEntry.Kind.MUTATION, parent.id(),
                    parent.id(), all, null, 1.0, ctx.spec().mixing().perturb(), mixSeed));
        }
        if (kind == 2 && !genes.isEmpty()) { // plain PBT has no gene to resample: a copy
            Gene gene = genes.get(rng.nextInt(genes.size()));
            List<String> others = new ArrayList<>(gene.options());
            others.remove(genome.get(gene.name()));
            if (!others.isEmpty()) {
                String option = others.get(rng.nextInt(others.size()));
                return new Replacement(slot, genome.with(gene.name(), option), new LineageEntry(next,
                        LineageEntry.Kind.MUTATION, parent.id(), parent.id(), List.of(),
                        Map.of(gene.name(), option), 0.0, 1.0, mixSeed));
            }
            // A single-option gene cannot change: the child is a copy.
        }
        return new Replacement(slot, genome, new LineageEntry(next, LineageEntry.Kind.COPY, parent.id(), parent.id(),
                List.of(), null, 1.0, 0.0, mixSeed));
    }
}
