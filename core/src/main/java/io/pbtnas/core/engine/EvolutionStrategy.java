package io.pbtnas.core.engine;

import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.PopulationSplit;
import io.pbtnas.core.model.Strategy;
import java.util.ArrayList;
import java.util.List;

/** Decides which slots get a new network after a generation, and which. Pure. */
public interface EvolutionStrategy {

    List<Replacement> replacements(GenerationContext ctx);

    /** Fewest members a parent pool needs; 0 for a strategy that never replaces. */
    int minParents();

    /** The child for one replaced {@code slot}, from parents in {@code pool} (ranked, best first). */
    Replacement childFor(GenerationContext ctx, List<MemberStatus> pool, int slot);

    static EvolutionStrategy of(Strategy s) {
        return switch (s) {
            case PBT_NAS -> new PbtNas();
            case MUTATION -> new Mutation();
            case RANDOM -> new RandomSearch();
        };
    }

    /**
     * Which slots are replaced and the parent pool, for strategies that replace: failed slots first
     * (they rank below everyone), then the bottom of the ranking up to the split's count (none when
     * selection is off), never touching the pool; the pool is the top of the ranking.
     */
    record Selected(List<Integer> replaced, List<MemberStatus> pool) {

        static Selected of(GenerationContext ctx, int minParents) {
            var sel = ctx.spec().selection();
            PopulationSplit split = PopulationSplit.of(ctx.alive(), sel.replaceFraction(), sel.parentFraction(),
                    minParents);
            List<MemberStatus> ranking = ctx.ranking();
            int bottom = ctx.selectionOff() ? 0 : Math.max(0, split.replaced() - ctx.failed().size());
            bottom = Math.max(0, Math.min(bottom, ranking.size() - minParents));
            int poolSize = Math.min(split.parents(), ranking.size() - bottom);
            if (poolSize < minParents) {
                return new Selected(List.of(), List.of());
            }
            List<Integer> replaced = new ArrayList<>(ctx.failed());
            for (int i = ranking.size() - bottom; i < ranking.size(); i++) {
                replaced.add(ranking.get(i).id());
            }
            replaced.sort(null);
            return new Selected(List.copyOf(replaced), List.copyOf(ranking.subList(0, poolSize)));
        }
    }
}
