package io.pbtnas.trainer;

import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.space.SearchSpace;
import io.pbtnas.trainer.model.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trainer's built-in search space: genes {@code cell0..cellK-1}, each choosing one {@link Op}. */
public final class BuiltinSearchSpace {
    public static final int DEFAULT_POSITIONS = 6;

    private BuiltinSearchSpace() {
    }

    /** K positions (1..32), every op at each; gene {@code cellI} owns the tensor prefix {@code cellI.}. */
    public static SearchSpace fashionMnist(int positions) {
        if (positions < 1 || positions > 32) {
            throw new IllegalArgumentException("positions: " + positions + " is out of range; use 1..32 (default "
                    + DEFAULT_POSITIONS + ")");
        }
        List<Gene> genes = new ArrayList<>();
        for (int i = 0; i < positions; i++) {
            genes.add(new Gene("cell" + i, "cell" + i + ".", Op.ids()));
        }
        return new SearchSpace(genes);
    }

    /** The reference architecture: conv3x3 at every position (used by the benchmark and examples). */
    public static Genome defaultGenome(int positions) {
        Map<String, String> c = new LinkedHashMap<>();
        for (int i = 0; i < positions; i++) {
            c.put("cell" + i, Op.CONV3X3.id());
        }
        return new Genome(c);
    }
}
