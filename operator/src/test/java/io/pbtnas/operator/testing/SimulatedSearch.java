package io.pbtnas.operator.testing;

import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The status a whole search ends with, made by the real engine with every step scored at once (no
 * pods): a status of the size a long search really has, in milliseconds instead of hours.
 */
public final class SimulatedSearch {
    private SimulatedSearch() {}

    public static SearchStatus complete(SearchSpec spec) {
        Decision d = Engine.decide(spec, null, List.of());
        while (!d.actions().isEmpty() && !(d.actions().get(0) instanceof Action.Finish)) {
            List<MemberResult> results = new ArrayList<>();
            for (Action a : d.actions()) {
                Action.Train t = (Action.Train) a;
                // A score that depends on the genome (so selection matters) plus noise per step.
                double s = t.genome().choices().values().stream().mapToInt(v -> Math.floorMod(v.hashCode(), 7)).sum();
                results.add(MemberResult.succeeded(t.member(), t.generation(), t.attempt(),
                        s + new SplittableRandom(t.member() * 1000L + t.generation()).nextDouble()));
            }
            d = Engine.decide(spec, d.status(), results);
        }
        return d.status();
    }
}
