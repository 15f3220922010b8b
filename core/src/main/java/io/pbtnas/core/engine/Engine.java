package io.pbtnas.core.engine;

import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.FailurePolicy;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.SearchRules;
import io.pbtnas.core.space.Genome;
import io.pbtnas.core.status.Reason;
import io.pbtnas.core.status.SearchConditions;
import io.pbtnas.core.space.Hyperparameter;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole search as a pure, deterministic function: (spec, status, observed results) →
 * (new status, actions). The status holds everything needed to resume; calling again with the
 * same inputs gives the same output, and actions of members still training are re-emitted
 * identically (drivers de-duplicate by member, generation, attempt).
 *
 * <p>Per generation g: members train; results are applied ({@link FailedAttempt}: a failure is retried
 * up to failurePolicy.maxRetries times, a disruption without using a retry, bad input not at all; then
 * the member is Failed for g); when no member is Pending or
 * Training the generation is settled: on the last generation the search completes with the best
 * member, otherwise the strategy picks replacements and generation g+1 starts. A Failed member is
 * replaced like a bottom member (policy replace) when the strategy replaces and a parent pool
 * exists, otherwise it is Dropped for the rest of the search and the search is Degraded.
 */
public final class Engine {
    private Engine() {
    }

    public static Decision decide(SearchSpec rawSpec, SearchStatus current, List<MemberResult> observed) {
        List<String> problems = SearchRules.problems(rawSpec);
        if (!problems.isEmpty()) {
            return new Decision(failed(current, Reason.INVALID_SPEC, "invalid spec: " + String.join("; ", problems)),
                    List.of());
        }
        SearchSpec spec = rawSpec.withDefaults();
        if (current != null && current.phase() != null && current.phase().isFinal()) {
            return new Decision(current, finalActions(current));
        }
        SearchStatus s = current == null || current.members().isEmpty() ? initial(spec, current) : current;
        if (s.members().size() != spec.population()) {
            return new Decision(failed(current, Reason.POPULATION_CHANGED, "spec.population changed from "
                    + s.members().size() + " to " + spec.population() + "; a running search cannot be resized, "
                    + "create a new search instead"), List.of());
        }
        boolean async = spec.schedule() == Schedule.ASYNCHRONOUS;
        boolean progressed = s.members().stream().anyMatch(m -> m.stepsDone() > 0);
        if (progressed && async == s.arrivals().isEmpty()) {
            return new Decision(failed(current, Reason.SCHEDULE_CHANGED, "spec.schedule changed to "
                    + spec.schedule().code() + " after the search had trained a step "
                    + (async ? "synchronously" : "asynchronously") + "; a running search cannot switch schedules, "
                    + "set it back or create a new search"), List.of());
        }
        List<MemberResult> results = observed == null ? List.of() : observed;
        if (async) {
            s = Asynchronous.apply(spec, s, results);
        } else {
            s = apply(spec, s, results);
            if (settled(s)) {
                s = advance(spec, s);
            }
        }
        List<Action> actions;
        if (s.phase().isFinal()) {
            actions = finalActions(s);
        } else {
            s = schedule(spec, async ? Asynchronous.release(spec, s) : s);
            actions = trainActions(spec, s);
        }
        return new Decision(withConditions(spec, s, current), actions);
    }

    private static List<Action> finalActions(SearchStatus s) {
        return s.phase() == Phase.COMPLETE && s.best() != null ? List.of(new Action.Finish(s.best().member()))
                : List.of();
    }

    static SearchStatus initial(SearchSpec spec, SearchStatus previous) {
        SearchSpace space = spec.searchSpace();
        List<MemberStatus> members = new ArrayList<>();
        for (int m = 0; m < spec.population(); m++) {
            Genome g = space.random(Seeds.rng(spec.seed(), Seeds.GENOME, 0, m));
            members.add(new MemberStatus(m, g.choices(), List.of(), List.of(), List.of(),
                    List.of(LineageEntry.initial(0)), null, 0, MemberState.PENDING, null)
                    .withNextHparams(PriorDraw.initial(spec.seed(), space.hyperparameters(), m)));
        }
        Long observedGeneration = previous == null ? null : previous.observedGeneration();
        return new SearchStatus(Phase.TRAINING, 0, null, members, List.of(), observedGeneration, null);
    }

    /** Applies observations of the current generation's current attempts; everything else is stale and ignored. */
    static SearchStatus apply(SearchSpec spec, SearchStatus s, List<MemberResult> observed) {
        int g = s.generation();
        Map<Integer, MemberStatus> byId = new HashMap<>();
        s.members().forEach(m -> byId.put(m.id(), m));
        List<MemberResult> sorted = new ArrayList<>(observed);
        sorted.sort(Comparator.comparingInt(MemberResult::member).thenComparingInt(MemberResult::generation)
                .thenComparingInt(MemberResult::attempt).thenComparing(MemberResult::outcome));
        for (MemberResult r : sorted) {
            MemberStatus m = byId.get(r.member());
            if (m == null || r.generation() != g || m.state() != MemberState.TRAINING || r.attempt() != m.attempts()) {
                continue;
            }
            boolean ok = r.outcome() == Outcome.SUCCEEDED && r.score() != null && Double.isFinite(r.score());
            if (ok) {
                byId.put(m.id(), m.withScore(r.score(), g, r.attempt()));
                continue;
            }
            byId.put(m.id(), FailedAttempt.apply(spec, m, r, "generation", g).member());
        }
        List<MemberStatus> members = s.members().stream().map(m -> byId.get(m.id())).toList();
        return new SearchStatus(s.phase(), g, s.best(), members, s.conditions(), s.observedGeneration(), s.message());
    }

    static boolean settled(SearchStatus s) {
        return s.members().stream().noneMatch(m -> m.state() == MemberState.PENDING
                || m.state() == MemberState.TRAINING);
    }

    /** The generation is settled: finish, or let the strategy replace members and start the next one. */
    static SearchStatus advance(SearchSpec spec, SearchStatus s) {
        int g = s.generation();
        List<MemberStatus> ranking = s.members().stream().filter(m -> m.state() == MemberState.DONE)
                .sorted(Comparator.comparingDouble((MemberStatus m) ->
                        -spec.objective().goodness(m.scoreAt(g).orElseThrow())).thenComparingInt(MemberStatus::id))
                .toList();
        if (ranking.isEmpty()) {
            return new SearchStatus(Phase.FAILED, g, s.best(), s.members(), s.conditions(), s.observedGeneration(),
                    "every remaining member failed in generation " + g + "; see members[].message");
        }
        MemberStatus top = ranking.get(0);
        BestMember best = new BestMember(top.id(), top.scoreAt(g).orElseThrow(), top.genome(),
                top.checkpointAt(g).orElseThrow(), g);
        // >= rather than ==: spec.generations may be lowered mid-search (it is mutable); the search
        // then ends at the generation it has reached instead of running forever.
        if (g >= spec.generations() - 1) {
            return new SearchStatus(Phase.COMPLETE, g, best, s.members(), s.conditions(), s.observedGeneration(),
                    "search complete: member " + top.id() + " scored " + best.score());
        }
        boolean replacePolicy = spec.failurePolicy().onExhausted() == FailurePolicy.OnExhausted.REPLACE;
        List<Integer> failed = s.members().stream().filter(m -> m.state() == MemberState.FAILED)
                .map(MemberStatus::id).toList();
        int alive = (int) s.members().stream().filter(m -> m.state() != MemberState.DROPPED).count();
        GenerationContext ctx = new GenerationContext(spec, g, ranking, replacePolicy ? failed : List.of(), alive,
                spec.mixing().isOff(g));
        Map<Integer, Replacement> replacements = new HashMap<>();
        for (Replacement r : EvolutionStrategy.of(spec.strategy()).replacements(ctx)) {
            replacements.put(r.member(), r);
        }
        List<MemberStatus> next = new ArrayList<>();
        for (MemberStatus m : s.members()) {
            Replacement r = replacements.get(m.id());
            if (r != null) {
                next.add(m.replaced(r.genome().choices(), r.lineage())
                        .withNextHparams(childHparams(spec, s.member(r.lineage().parent()), g, m.id())));
            } else if (m.state() == MemberState.DONE) {
                next.add(m.withState(MemberState.PENDING, 0, null).withNextHparams(m.hparamsAt(g)));
            } else if (m.state() == MemberState.FAILED) {
                next.add(m.withState(MemberState.DROPPED, m.attempts(), "dropped after failing generation " + g
                        + (replacePolicy ? " (no replacement possible with strategy " + spec.strategy().code()
                        + ")" : " (failurePolicy.onExhausted: degrade)") + ": " + m.message()));
            } else {
                next.add(m);
            }
        }
        return new SearchStatus(Phase.TRAINING, g + 1, best, next, s.conditions(), s.observedGeneration(), null);
    }

    /** Starts Pending members while fewer than spec.parallelism are training. */
    static SearchStatus schedule(SearchSpec spec, SearchStatus s) {
        long training = s.members().stream().filter(m -> m.state() == MemberState.TRAINING).count();
        // Asynchronous: the member furthest behind starts first, so a fast one cannot starve the others.
        Comparator<MemberStatus> order = spec.schedule() == Schedule.ASYNCHRONOUS
                ? Comparator.comparingInt(MemberStatus::stepsDone).thenComparingInt(MemberStatus::id)
                : Comparator.comparingInt(MemberStatus::id);
        List<Integer> starting = new ArrayList<>();
        for (MemberStatus m : s.members().stream().filter(m -> m.state() == MemberState.PENDING).sorted(order)
                .toList()) {
            if (training < spec.parallelism()) {
                starting.add(m.id());
                training++;
            }
        }
        List<MemberStatus> out = new ArrayList<>();
        for (MemberStatus m : s.members()) {
            out.add(starting.contains(m.id()) ? m.withState(MemberState.TRAINING, m.attempts(), m.message()) : m);
        }
        return new SearchStatus(s.phase(), s.generation(), s.best(), out, s.conditions(), s.observedGeneration(),
                s.message(), s.arrivals());
    }

    /**
     * The hyperparameters of a child started in {@code slot} at step {@code parentStep + 1}: its parent's
     * values of {@code parentStep}, explored; seeded by (search seed, step, slot).
     */
    static Map<String, Object> childHparams(SearchSpec spec, MemberStatus parent, int parentStep, int slot) {
        List<Hyperparameter> hs = spec.searchSpace().hyperparameters();
        if (hs.isEmpty()) {
            return Map.of();
        }
        return ExploreStep.explore(hs, spec.explore(), parent.hparamsAt(parentStep),
                Seeds.rng(spec.seed(), Seeds.EXPLORE, parentStep + 1, slot));
    }

    static List<Action> trainActions(SearchSpec spec, SearchStatus s) {
        int epochs = spec.epochsPerGeneration();
        boolean async = spec.schedule() == Schedule.ASYNCHRONOUS;
        List<Action> out = new ArrayList<>();
        for (MemberStatus m : s.members()) {
            if (m.state() != MemberState.TRAINING) {
                continue;
            }
            int g = async ? m.stepsDone() : s.generation(); // the step this member trains
            Optional<MixPlan> mix = mixPlan(s, m, g);
            // Its own previous step's files: the attempt that counted there, never just "the latest".
            String input = mix.map(MixPlan::output)
                    .orElse(g == 0 || m.startedAt(g).isPresent() ? null : m.checkpointAt(g - 1).orElseThrow());
            out.add(new Action.Train(m.id(), g, m.attempts(), g * epochs, (g + 1) * epochs, new Genome(m.genome()),
                    input, mix.orElse(null), m.hparamsAt(g)));
        }
        return out;
    }

    /**
     * The plan that built this member's network for generation g, rebuilt from its lineage entry: the
     * parents' checkpoints are those of the attempts that counted for them at g - 1.
     */
    public static Optional<MixPlan> mixPlan(SearchStatus s, MemberStatus m, int g) {
        return m.startedAt(g).filter(e -> e.kind() != LineageEntry.Kind.INITIAL).map(e -> new MixPlan(
                e.parent(), e.donor(), e.swappedGenes() == null ? List.of() : e.swappedGenes(),
                e.shrink(), e.perturb(), e.seed(),
                counted(s, e.parent(), g - 1), counted(s, e.donor(), g - 1),
                CheckpointLayout.relativeInput(m.id(), g), e.resampledGenes()));
    }

    private static String counted(SearchStatus s, int member, int generation) {
        return s.member(member).checkpointAt(generation).orElseThrow(() -> new IllegalStateException(
                "member " + member + " has no checkpoint that counts for generation " + generation
                        + ", yet a child was planned from it"));
    }

    private static SearchStatus failed(SearchStatus current, Reason reason, String message) {
        SearchStatus base = current == null ? SearchStatus.EMPTY : current;
        SearchStatus s = new SearchStatus(Phase.FAILED, base.generation(), base.best(), base.members(),
                base.conditions(), base.observedGeneration(), message, base.arrivals());
        return SearchConditions.fresh(base).searchStopped(reason, message).applyTo(s, base.observedGeneration(), null);
    }

    static SearchStatus withConditions(SearchSpec spec, SearchStatus s, SearchStatus previous) {
        SearchStatus prev = previous == null ? s : previous;
        long done = s.members().stream().filter(m -> m.state() == MemberState.DONE).count();
        List<String> lost = s.members().stream().filter(m -> m.state() == MemberState.DROPPED
                || m.state() == MemberState.FAILED).map(m -> "member " + m.id() + ": " + m.message()).toList();
        String progress = spec.schedule() == Schedule.ASYNCHRONOUS ? Asynchronous.progress(spec, s)
                : "generation " + s.generation() + " of " + spec.generations() + ": " + done + "/"
                + s.members().size() + " members done";
        // No clock here: a transition's time is left null for the driver to stamp.
        return SearchConditions.fresh(prev).search(s.phase(), s.message(), progress, lost)
                .applyTo(s, prev.observedGeneration(), null);
    }
}
