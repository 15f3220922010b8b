package io.pbtnas.core.engine;

import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Drives the engine like a driver would: run every Train action, report, decide again. */
final class Simulation {
    final List<Decision> decisions = new ArrayList<>();
    SearchStatus status;

    /** {@code outcome} maps a Train action to its observed result. */
    Simulation run(SearchSpec spec, Function<Action.Train, MemberResult> outcome) {
        Decision d = Engine.decide(spec, null, List.of());
        decisions.add(d);
        for (int step = 0; step < 10_000 && !d.actions().isEmpty() && !(d.actions().get(0) instanceof Action.Finish);
             step++) {
            List<MemberResult> results = new ArrayList<>();
            for (Action a : d.actions()) {
                results.add(outcome.apply((Action.Train) a));
            }
            d = Engine.decide(spec, d.status(), results);
            decisions.add(d);
        }
        status = d.status();
        return this;
    }

    Decision last() {
        return decisions.get(decisions.size() - 1);
    }

    /** A score that depends on the genome (so selection matters) plus seeded noise per (member, generation). */
    static double score(Action.Train t) {
        double s = t.genome().choices().values().stream().mapToInt(v -> v.hashCode() % 7).sum();
        return s + new java.util.SplittableRandom(t.member() * 1000L + t.generation()).nextDouble();
    }

    static MemberResult succeed(Action.Train t) {
        return MemberResult.succeeded(t.member(), t.generation(), t.attempt(), score(t));
    }
}
