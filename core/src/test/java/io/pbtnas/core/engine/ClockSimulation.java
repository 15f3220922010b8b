package io.pbtnas.core.engine;

import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Drives the engine like a driver with a clock: every Train action runs for its duration from the
 * moment it is issued, results arrive one at a time in finish order (ties: lower member first), and
 * the status goes through JSON between calls, as a driver keeps it.
 */
final class ClockSimulation {
    /** One training run: the action, when it started and ended (simulated seconds). */
    record Run(Action.Train train, double start, double end) {
    }

    final List<Decision> decisions = new ArrayList<>();
    /** results.get(i) is what decisions.get(i + 1) was given. */
    final List<MemberResult> results = new ArrayList<>();
    final List<Run> runs = new ArrayList<>();
    SearchStatus status;
    double wall;
    /** When set, each result carries its run's start and end as wall-clock times (origin + simulated seconds). */
    private java.time.Instant origin;

    ClockSimulation timedFrom(java.time.Instant from) {
        this.origin = from;
        return this;
    }

    static String at(java.time.Instant origin, double seconds) {
        return origin.plusMillis(Math.round(seconds * 1000)).toString();
    }

    ClockSimulation run(SearchSpec spec, ToDoubleFunction<Action.Train> duration,
                        Function<Action.Train, MemberResult> outcome) {
        PriorityQueue<Run> inFlight = new PriorityQueue<>(Comparator.comparingDouble(Run::end)
                .thenComparingInt(r -> r.train().member()));
        Set<List<Integer>> started = new HashSet<>();
        double now = 0;
        Decision d = Engine.decide(spec, null, List.of());
        decisions.add(d);
        for (int step = 0; step < 100_000; step++) {
            for (Action a : d.actions()) {
                if (a instanceof Action.Train t && started.add(List.of(t.member(), t.generation(), t.attempt()))) {
                    inFlight.add(new Run(t, now, now + duration.applyAsDouble(t)));
                }
            }
            if (inFlight.isEmpty() || d.actions().stream().anyMatch(a -> a instanceof Action.Finish)) {
                break;
            }
            Run next = inFlight.poll();
            runs.add(next);
            now = next.end();
            MemberResult r = outcome.apply(next.train());
            if (origin != null) {
                r = r.withTimes(at(origin, next.start()), at(origin, next.end()));
            }
            results.add(r);
            d = Engine.decide(spec, throughJson(d.status()), List.of(r));
            decisions.add(d);
        }
        status = d.status();
        wall = now;
        return this;
    }

    static SearchStatus throughJson(SearchStatus s) {
        return Json.MAPPER.convertValue(Json.MAPPER.valueToTree(s), SearchStatus.class);
    }

    /** 1 − busy GPU-seconds / (GPUs × wall time). */
    double idleShare(int gpus) {
        double busy = runs.stream().mapToDouble(r -> r.end() - r.start()).sum();
        return 1 - busy / (gpus * wall);
    }
}
