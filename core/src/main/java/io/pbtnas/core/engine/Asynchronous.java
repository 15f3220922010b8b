package io.pbtnas.core.engine;

import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.BestMember;
import io.pbtnas.core.model.FailurePolicy;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.PopulationSplit;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The asynchronous schedule (DESIGN §4): no generation barrier. Each member trains its own steps;
 * when member m finishes step k (k + 1 &lt; generations) it is ranked against the step-k scores of
 * every member that has finished step k, once at least ceil(alive/2) have (alive: members not
 * dropped; the population while none is); until then it waits for that quorum while other members
 * can use the GPUs, and goes on unjudged when one would otherwise idle (see {@link #release}). In the bottom
 * replaceFraction of that ranking it is replaced at once by the strategy's child of parents from the
 * top parentFraction of the same ranking, built from their step-k checkpoints; the child trains step
 * k + 1 in slot m. A member that failed step k for good waits, Failed, until the step-k ranking can
 * give it a child, and is dropped when no member can still finish step k.
 *
 * <p>Results of one call are applied one at a time in a fixed order (step, member, attempt); each
 * decision sees only the scores applied before it. Every applied result is appended to
 * status.arrivals with its verdict, and a (member, step) is applied once: the member has moved on,
 * so a repeated result is stale. Pure: same status and results, same answer.
 */
final class Asynchronous {
    private Asynchronous() {
    }

    static SearchStatus apply(SearchSpec spec, SearchStatus s, List<MemberResult> observed) {
        Map<Integer, MemberStatus> byId = new LinkedHashMap<>();
        s.members().forEach(m -> byId.put(m.id(), m));
        List<Arrival> log = new ArrayList<>(s.arrivals());
        List<MemberResult> sorted = new ArrayList<>(observed);
        sorted.sort(Comparator.comparingInt(MemberResult::generation).thenComparingInt(MemberResult::member)
                .thenComparingInt(MemberResult::attempt).thenComparing(MemberResult::outcome));
        for (MemberResult r : sorted) {
            MemberStatus m = byId.get(r.member());
            if (m == null || m.state() != MemberState.TRAINING || r.generation() != m.stepsDone()
                    || r.attempt() != m.attempts()) {
                continue; // stale or repeated
            }
            // The times are carried into the log for the report, after every decision about r is made.
            log.add(arrive(spec, byId, m, r).at(r.startedAt(), r.finishedAt()));
            judgeWaiting(spec, byId, log);
            resolveWaiting(spec, byId);
        }
        judgeWaiting(spec, byId, log);
        resolveWaiting(spec, byId);
        return settle(spec, s, List.copyOf(byId.values()), log);
    }

    /** Applies one fresh result of member m and decides what m does next. */
    private static Arrival arrive(SearchSpec spec, Map<Integer, MemberStatus> byId, MemberStatus m,
                                  MemberResult r) {
        int k = r.generation();
        boolean ok = r.outcome() == Outcome.SUCCEEDED && r.score() != null && Double.isFinite(r.score());
        if (!ok) {
            FailedAttempt.Next next = FailedAttempt.apply(spec, m, r, "step", k);
            if (next.retried()) {
                byId.put(m.id(), next.member());
                return new Arrival(m.id(), k, r.attempt(), null, Arrival.Verdict.RETRY, null);
            }
            MemberStatus failed = next.member();
            int attempts = failed.attempts();
            String msg = failed.message();
            boolean replaceable = spec.strategy().replaces()
                    && spec.failurePolicy().onExhausted() == FailurePolicy.OnExhausted.REPLACE;
            if (k + 1 < spec.generations() && !replaceable) {
                failed = failed.withState(MemberState.DROPPED, attempts, "dropped after failing step " + k
                        + (spec.strategy().replaces() ? " (failurePolicy.onExhausted: degrade)"
                        : " (no replacement possible with strategy " + spec.strategy().code() + ")") + ": " + msg);
            }
            byId.put(m.id(), failed); // otherwise Failed: the last step, or waiting for a child
            return new Arrival(m.id(), k, r.attempt(), null, Arrival.Verdict.FAILED, null);
        }
        MemberStatus done = m.withScore(r.score(), k, r.attempt());
        byId.put(m.id(), done);
        if (k + 1 >= spec.generations()) {
            return new Arrival(m.id(), k, r.attempt(), r.score(), Arrival.Verdict.LAST, null);
        }
        if (ranking(spec, byId, k).size() < quorum(byId) && spec.strategy().replaces()) {
            // Done, not yet judged: it waits for the quorum while other members can use the GPUs
            // (release() lets it go on unjudged the moment a GPU would otherwise idle).
            return new Arrival(m.id(), k, r.attempt(), r.score(), Arrival.Verdict.WAITING, null);
        }
        return judge(spec, byId, done, k, new Arrival(m.id(), k, r.attempt(), r.score(), null, null));
    }

    /** Ranks member m's step-k score (the quorum is met) and decides: kept, or replaced by a child. */
    private static Arrival judge(SearchSpec spec, Map<Integer, MemberStatus> byId, MemberStatus done, int k,
                                 Arrival a) {
        MemberStatus m = done;
        List<MemberStatus> ranking = ranking(spec, byId, k);
        EvolutionStrategy strategy = EvolutionStrategy.of(spec.strategy());
        int n = ranking.size();
        int bottom = 0;
        int poolSize = 0;
        if (spec.strategy().replaces() && !spec.mixing().isOff(k)) {
            PopulationSplit split = PopulationSplit.of(n, spec.selection().replaceFraction(),
                    spec.selection().parentFraction(), strategy.minParents());
            bottom = Math.max(0, Math.min(split.replaced(), n - strategy.minParents()));
            poolSize = Math.min(split.parents(), n - bottom);
        }
        int rank = ranking.indexOf(done);
        if (bottom == 0 || poolSize < strategy.minParents() || rank < n - bottom) {
            byId.put(m.id(), goOn(done, k));
            return a.with(Arrival.Verdict.KEPT, n);
        }
        byId.put(m.id(), child(spec, strategy, ranking, poolSize, done, k));
        return a.with(Arrival.Verdict.REPLACED, n);
    }

    /** Waiting members, in arrival order, are judged as soon as their step has the quorum. */
    private static void judgeWaiting(SearchSpec spec, Map<Integer, MemberStatus> byId, List<Arrival> log) {
        for (int i = 0; i < log.size(); i++) {
            Arrival a = log.get(i);
            if (a.verdict() == Arrival.Verdict.WAITING && ranking(spec, byId, a.step()).size() >= quorum(byId)) {
                log.set(i, judge(spec, byId, byId.get(a.member()), a.step(), a));
            }
        }
    }

    /**
     * Lets waiting members go on unjudged, first arrived first, while a GPU (spec.parallelism) would
     * otherwise idle: nothing else is pending to take it. With parallelism &gt;= population that is at
     * once, the rule of DESIGN §4 as written; with fewer GPUs than members, a member that finished a
     * step early waits for its judgement while the members behind it train.
     */
    static SearchStatus release(SearchSpec spec, SearchStatus s) {
        if (s.phase().isFinal()) {
            return s;
        }
        long busy = s.members().stream().filter(m -> m.state() == MemberState.TRAINING
                || m.state() == MemberState.PENDING).count();
        long free = spec.parallelism() - busy;
        List<Arrival> log = new ArrayList<>(s.arrivals());
        Map<Integer, MemberStatus> byId = new LinkedHashMap<>();
        s.members().forEach(m -> byId.put(m.id(), m));
        for (int i = 0; i < log.size() && free > 0; i++) {
            Arrival a = log.get(i);
            if (a.verdict() == Arrival.Verdict.WAITING) {
                byId.put(a.member(), goOn(byId.get(a.member()), a.step()));
                log.set(i, a.with(Arrival.Verdict.UNJUDGED, null));
                free--;
            }
        }
        return new SearchStatus(s.phase(), s.generation(), s.best(), List.copyOf(byId.values()), s.conditions(),
                s.observedGeneration(), s.message(), log);
    }

    /** Failed members (best-placed step first) get a child once the ranking of their step allows one. */
    private static void resolveWaiting(SearchSpec spec, Map<Integer, MemberStatus> byId) {
        List<MemberStatus> waiting = byId.values().stream()
                .filter(m -> m.state() == MemberState.FAILED && m.stepsDone() < spec.generations())
                .sorted(Comparator.comparingInt(MemberStatus::stepsDone).thenComparingInt(MemberStatus::id)).toList();
        EvolutionStrategy strategy = EvolutionStrategy.of(spec.strategy());
        for (MemberStatus w : waiting) {
            int k = w.stepsDone() - 1;
            List<MemberStatus> ranking = ranking(spec, byId, k);
            int poolSize = Math.min(PopulationSplit.of(ranking.size(), spec.selection().replaceFraction(),
                    spec.selection().parentFraction(), strategy.minParents()).parents(), ranking.size());
            if (ranking.size() >= quorum(byId) && poolSize >= strategy.minParents()) {
                byId.put(w.id(), child(spec, strategy, ranking, poolSize, w, k));
            } else if (byId.values().stream().noneMatch(o -> o.id() != w.id().intValue()
                    && o.state() != MemberState.DROPPED && o.stepsDone() <= k)) {
                byId.put(w.id(), w.withState(MemberState.DROPPED, w.attempts(), "dropped after failing step " + k
                        + ": the members that finished it never formed a parent pool; " + w.message()));
            }
        }
    }

    private static MemberStatus child(SearchSpec spec, EvolutionStrategy strategy, List<MemberStatus> ranking,
                                      int poolSize, MemberStatus slot, int k) {
        GenerationContext ctx = new GenerationContext(spec, k, ranking, List.of(), ranking.size(), false);
        Replacement r = strategy.childFor(ctx, ranking.subList(0, poolSize), slot.id());
        MemberStatus parent = ranking.stream().filter(p -> p.id().equals(r.lineage().parent())).findFirst()
                .orElseThrow();
        return slot.replaced(r.genome().choices(), r.lineage())
                .withNextHparams(Engine.childHparams(spec, parent, k, slot.id()));
    }

    /** Survives step k unchanged: trains step k + 1 with the same values. */
    private static MemberStatus goOn(MemberStatus m, int k) {
        return m.withState(MemberState.PENDING, 0, null).withNextHparams(m.hparamsAt(k));
    }

    /** Members with a score at step k, best first (ties: lower id first), as in the synchronous ranking. */
    static List<MemberStatus> ranking(SearchSpec spec, Map<Integer, MemberStatus> byId, int k) {
        return byId.values().stream().filter(m -> m.scoreAt(k).isPresent())
                .sorted(Comparator.comparingDouble((MemberStatus m) ->
                        -spec.objective().goodness(m.scoreAt(k).orElseThrow())).thenComparingInt(MemberStatus::id))
                .toList();
    }

    /** ceil(alive / 2): half the members that can still train, at least 1. */
    static int quorum(Map<Integer, MemberStatus> byId) {
        long alive = byId.values().stream().filter(m -> m.state() != MemberState.DROPPED).count();
        return (int) Math.max(1, (alive + 1) / 2);
    }

    /** Phase, generation (the slowest member's step) and best, after the members moved. */
    private static SearchStatus settle(SearchSpec spec, SearchStatus s, List<MemberStatus> members, List<Arrival> log) {
        int gens = spec.generations();
        List<MemberStatus> out = new ArrayList<>();
        for (MemberStatus m : members) {
            // spec.generations may have been lowered: a member waiting to start a step beyond it is done.
            out.add(m.state() == MemberState.PENDING && m.stepsDone() >= gens
                    ? m.withState(MemberState.DONE, m.attempts(), m.message()) : m);
        }
        boolean over = out.stream().allMatch(m -> m.state() == MemberState.DROPPED
                || (m.stepsDone() >= gens && (m.state() == MemberState.DONE || m.state() == MemberState.FAILED)));
        int slowest = out.stream().filter(m -> m.state() != MemberState.DROPPED).mapToInt(MemberStatus::stepsDone)
                .min().orElse(0);
        BestMember best = s.best();
        int finished = Math.min(slowest, gens) - 1; // every member still in the search has finished this step
        if (finished >= 0) {
            List<MemberStatus> ranking = ranking(spec, byIdOf(out), finished);
            // The slot's genome is that step's only if it has not been replaced since; otherwise the
            // previous best stands until the next step every member finished (the last step always is).
            if (!ranking.isEmpty() && ranking.get(0).replacedAt().stream().noneMatch(j -> j > finished)) {
                MemberStatus top = ranking.get(0);
                best = new BestMember(top.id(), top.scoreAt(finished).orElseThrow(), top.genome(),
                        top.checkpointAt(finished).orElseThrow(), finished);
            }
        }
        if (!over) {
            return new SearchStatus(Phase.TRAINING, Math.min(slowest, gens - 1), best, out, s.conditions(),
                    s.observedGeneration(), null, log);
        }
        int last = gens - 1;
        List<MemberStatus> ranking = ranking(spec, byIdOf(out), last);
        if (ranking.isEmpty()) {
            return new SearchStatus(Phase.FAILED, last, best, out, s.conditions(), s.observedGeneration(),
                    "every remaining member failed by step " + last + "; see members[].message", log);
        }
        MemberStatus top = ranking.get(0);
        best = new BestMember(top.id(), top.scoreAt(last).orElseThrow(), top.genome(),
                top.checkpointAt(last).orElseThrow(), last);
        return new SearchStatus(Phase.COMPLETE, last, best, out, s.conditions(), s.observedGeneration(),
                "search complete: member " + top.id() + " scored " + best.score(), log);
    }

    private static Map<Integer, MemberStatus> byIdOf(List<MemberStatus> members) {
        Map<Integer, MemberStatus> out = new LinkedHashMap<>();
        members.forEach(m -> out.put(m.id(), m));
        return out;
    }

    /** kubectl's progress line: member-steps done of the total. */
    static String progress(SearchSpec spec, SearchStatus s) {
        int total = s.members().size() * spec.generations();
        int done = s.members().stream().mapToInt(m -> Math.min(m.stepsDone(), spec.generations())).sum();
        long unjudged = s.arrivals().stream().filter(a -> a.verdict() == Arrival.Verdict.UNJUDGED).count();
        return "asynchronous: " + done + "/" + total + " member-steps done, slowest member at step "
                + s.generation() + " of " + spec.generations() + ", " + unjudged + " unjudged";
    }
}
