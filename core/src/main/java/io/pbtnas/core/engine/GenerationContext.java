package io.pbtnas.core.engine;

import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.space.Genome;
import java.util.List;

/**
 * What a strategy sees when generation {@code generation} has finished: the ranking of members that
 * succeeded (best first), the slots that failed and must be replaced if possible, and whether
 * selection is switched off for this generation.
 *
 * @param alive members not dropped at the start of the generation (sizes selection)
 */
public record GenerationContext(SearchSpec spec, int generation, List<MemberStatus> ranking, List<Integer> failed,
                                int alive, boolean selectionOff) {
    public GenerationContext {
        ranking = List.copyOf(ranking);
        failed = List.copyOf(failed);
    }

    public Genome genome(MemberStatus m) {
        return new Genome(m.genome());
    }
}
