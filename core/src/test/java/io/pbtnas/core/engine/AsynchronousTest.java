package io.pbtnas.core.engine;

import io.pbtnas.core.model.ConditionStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.layout.CheckpointLayout;
import io.pbtnas.core.model.Arrival;
import io.pbtnas.core.model.Explore;
import io.pbtnas.core.model.FailurePolicy;
import io.pbtnas.core.model.LineageEntry;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.PopulationSplit;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Strategy;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.Hyperparameter;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The asynchronous schedule (DESIGN additions §4): judged on arrival, against the step's scores known then. */
class AsynchronousTest {
    static final List<String> OPS = List.of("conv3x3", "conv5x5", "sepconv3x3", "dilconv3x3", "maxpool", "skip");
    /** Relative cost of a step per option, roughly as the built-in trainer's cells. */
    static final Map<String, Double> COST = Map.of("conv3x3", 3.0, "conv5x5", 7.0, "sepconv3x3", 2.0,
            "dilconv3x3", 3.5, "maxpool", 1.0, "skip", 0.5);
    static final List<Hyperparameter> HPARAMS = List.of(Hyperparameter.logUniform("learningRate", 1e-4, 1e-2),
            Hyperparameter.choice("batchSize", List.of(32, 64, 128)));
    static final SearchSpace SPACE = new SearchSpace(List.of(new Gene("cell0", OPS), new Gene("cell1", OPS),
            new Gene("cell2", OPS)), HPARAMS);

    static SearchSpec spec(Strategy strategy, int population, int generations, SearchSpace space, Integer parallelism,
                           FailurePolicy failures, Explore explore) {
        return new SearchSpec(strategy, population, generations, 1, null, 7L, null, null, space, null, null,
                parallelism, failures, explore, Schedule.ASYNCHRONOUS);
    }

    static SearchSpec async(int population, int generations) {
        return spec(Strategy.PBT_NAS, population, generations, SPACE, null, null, null);
    }

    /**
     * Step time: 1 to 4 units, drawn per (member, step), so members overtake each other and the order
     * of arrival changes from step to step.
     */
    static double duration(Action.Train t) {
        return 1 + 3 * new SplittableRandom(t.member() * 7919L + t.generation()).nextDouble();
    }

    /** Step time that follows the architecture's cost, with ±10 % seeded noise per (member, step). */
    static double costDuration(Action.Train t) {
        double cost = 1 + t.genome().choices().values().stream().mapToDouble(COST::get).sum();
        return cost * (0.9 + 0.2 * new SplittableRandom(t.member() * 7919L + t.generation()).nextDouble());
    }

    /** Depends on the genome and on the learning rate (best near 1e-3), plus seeded noise. */
    static MemberResult succeed(Action.Train t) {
        double lr = t.hparams().isEmpty() ? 1e-3 : (double) t.hparams().get("learningRate");
        double s = Simulation.score(t) - Math.abs(Math.log10(lr) + 3);
        return MemberResult.succeeded(t.member(), t.generation(), t.attempt(), s);
    }

    static ClockSimulation run(SearchSpec spec) {
        return new ClockSimulation().run(spec, AsynchronousTest::duration, AsynchronousTest::succeed);
    }

    static int quorum(int alive) {
        return (alive + 1) / 2;
    }

    @Test
    void everyMemberTrainsEveryStepAndNoneWaits() {
        SearchSpec spec = async(8, 6);
        ClockSimulation sim = run(spec);
        SearchStatus end = sim.status;
        assertEquals(Phase.COMPLETE, end.phase(), end.message());
        assertEquals(List.of(new Action.Finish(end.best().member())), sim.decisions.get(sim.decisions.size() - 1)
                .actions());
        for (int m = 0; m < 8; m++) {
            int member = m;
            List<ClockSimulation.Run> own = sim.runs.stream().filter(r -> r.train().member() == member).toList();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), own.stream().map(r -> r.train().generation()).toList());
            for (int k = 1; k < own.size(); k++) {
                assertEquals(own.get(k - 1).end(), own.get(k).start(), "member " + m + " starts step " + k
                        + " the moment it finished step " + (k - 1));
                assertEquals(k, own.get(k).train().epochFrom());
            }
            assertEquals(6, end.member(m).scores().size());
            assertEquals(MemberState.DONE, end.member(m).state());
        }
        assertEquals(5, end.best().generation());
        double top = end.members().stream().mapToDouble(m -> m.scoreAt(5).orElseThrow()).max().orElseThrow();
        assertEquals(top, end.best().score());
        assertEquals(ConditionStatus.TRUE, end.condition("Complete").orElseThrow().status());
        assertTrue(end.members().stream().anyMatch(m -> !m.replacedAt().isEmpty()), "someone was replaced");

        // The same members under the paper's barrier: GPUs wait for the slowest member every generation.
        SearchSpec sync = new SearchSpec(Strategy.PBT_NAS, 8, 6, 1, null, 7L, null, null, SPACE, null, null, null,
                null, null, null);
        ClockSimulation barrier = run(sync);
        assertEquals(Phase.COMPLETE, barrier.status.phase());
        long waited = barrier.runs.stream().filter(r -> r.train().generation() > 0 && barrier.runs.stream()
                .noneMatch(p -> p.train().member() == r.train().member()
                        && p.train().generation() == r.train().generation() - 1 && p.end() == r.start())).count();
        assertTrue(waited > 0, "synchronous members wait at the barrier");
        assertTrue(sim.idleShare(8) < barrier.idleShare(8), "asynchronous idle " + sim.idleShare(8)
                + " vs synchronous " + barrier.idleShare(8));
    }

    @Test
    void theFirstFinishersOfAStepGoUnjudgedUntilTheQuorum() {
        SearchSpec spec = async(8, 5);
        SearchStatus end = run(spec).status;
        for (int k = 0; k < 5; k++) {
            int step = k;
            List<Arrival> at = end.arrivals().stream().filter(a -> a.step() == step).toList();
            assertEquals(8, at.size(), "each member's step " + k + " arrived once");
            for (int i = 0; i < at.size(); i++) {
                Arrival a = at.get(i);
                if (k == 4) {
                    assertEquals(Arrival.Verdict.LAST, a.verdict(), "the last step is never judged");
                } else if (i < quorum(8) - 1) {
                    assertEquals(Arrival.Verdict.UNJUDGED, a.verdict(), "arrival " + i + " of step " + k);
                } else {
                    assertTrue(a.verdict() == Arrival.Verdict.KEPT || a.verdict() == Arrival.Verdict.REPLACED);
                    assertEquals(i + 1, a.ranked(), "ranked against every step-" + k + " score known then");
                }
            }
        }
        assertTrue(end.condition("Progressing").isPresent());
        long unjudged = end.arrivals().stream().filter(a -> a.verdict() == Arrival.Verdict.UNJUDGED).count();
        assertEquals(4 * (quorum(8) - 1), unjudged);
    }

    @Test
    void replacementsAreTheBottomOfTheKnownScoresAndInheritFromTheTop() {
        SearchSpec spec = spec(Strategy.PBT_NAS, 16, 8, SPACE, null, null, new Explore(0.0, List.of(0.8, 1.2)));
        ClockSimulation sim = run(spec);
        SearchStatus end = sim.status;
        Map<Integer, List<Double>> known = new HashMap<>(); // step → scores applied so far
        int replaced = 0;
        for (Arrival a : end.arrivals()) {
            known.computeIfAbsent(a.step(), x -> new ArrayList<>()).add(a.score());
            if (a.verdict() != Arrival.Verdict.KEPT && a.verdict() != Arrival.Verdict.REPLACED) {
                continue;
            }
            List<Double> scores = new ArrayList<>(known.get(a.step()));
            scores.sort(Collections.reverseOrder());
            int n = scores.size();
            PopulationSplit split = PopulationSplit.of(n, 0.25, 0.25, 2);
            int bottom = Math.min(split.replaced(), n - 2);
            int rank = scores.indexOf(a.score());
            assertEquals(a.verdict() == Arrival.Verdict.REPLACED, rank >= n - bottom,
                    "member " + a.member() + " step " + a.step() + " rank " + rank + " of " + n);
            MemberStatus m = end.member(a.member());
            int next = a.step() + 1;
            if (a.verdict() == Arrival.Verdict.KEPT) {
                assertEquals(m.hparamsAt(a.step()), m.hparamsAt(next), "a survivor keeps its values");
                continue;
            }
            replaced++;
            LineageEntry e = m.startedAt(next).orElseThrow();
            assertEquals(LineageEntry.Kind.MIX, e.kind());
            List<Double> pool = scores.subList(0, Math.min(split.parents(), n - bottom));
            double parent = end.member(e.parent()).scoreAt(a.step()).orElseThrow();
            double donor = end.member(e.donor()).scoreAt(a.step()).orElseThrow();
            assertTrue(pool.contains(parent) && pool.contains(donor), "parents from the top of the same ranking");
            assertTrue(parent >= donor);
            Action.Train child = sim.runs.stream().map(ClockSimulation.Run::train)
                    .filter(t -> t.member() == a.member() && t.generation() == next).findFirst().orElseThrow();
            assertEquals(CheckpointLayout.relativeModel(e.parent(), a.step(), 0), child.mix().parentCheckpoint());
            assertEquals(CheckpointLayout.relativeModel(e.donor(), a.step(), 0), child.mix().donorCheckpoint());
            assertEquals(CheckpointLayout.relativeInput(a.member(), next), child.inputCheckpoint());
            assertEquals(m.hparamsAt(next), child.hparams());
            // Inherited from the parent's step values, then perturbed (resampleProbability 0).
            Map<String, Object> from = end.member(e.parent()).hparamsAt(a.step());
            double lr = (double) from.get("learningRate");
            double childLr = (double) child.hparams().get("learningRate");
            assertTrue(childLr == Math.min(1e-2, lr * 1.2) || childLr == Math.max(1e-4, lr * 0.8),
                    "lr " + lr + " → " + childLr);
            int bs = BS_ORDER.indexOf(from.get("batchSize"));
            int childBs = BS_ORDER.indexOf(child.hparams().get("batchSize"));
            assertTrue(Math.abs(childBs - bs) == 1 || (childBs == bs && (bs == 0 || bs == 2)),
                    "batch size moves to a neighbour: " + from.get("batchSize") + " → " + child.hparams());
        }
        assertTrue(replaced >= 4, "replacements happened: " + replaced);
    }

    static final List<Object> BS_ORDER = List.of(32, 64, 128);

    @Test
    void eachMemberStepIsJudgedOnceWhateverIsResent() {
        SearchSpec spec = async(8, 4);
        ClockSimulation sim = run(spec);
        Set<List<Integer>> seen = new HashSet<>();
        for (Arrival a : sim.status.arrivals()) {
            assertTrue(seen.add(List.of(a.member(), a.step())), "judged twice: " + a);
        }
        assertEquals(8 * 4, seen.size());
        // Resending every result ever observed, in any order, to any later status changes nothing.
        List<MemberResult> all = new ArrayList<>(sim.results);
        Collections.shuffle(all, new java.util.Random(1));
        for (int i : List.of(3, 10, 20, sim.decisions.size() - 2)) {
            Decision d = sim.decisions.get(i);
            Decision again = Engine.decide(spec, d.status(), all.subList(0, 0));
            assertEquals(d.status(), again.status(), "idempotent at " + i);
            assertEquals(d.actions(), again.actions(), "the same actions re-emitted at " + i);
            Decision resent = Engine.decide(spec, d.status(), sim.results.subList(0, i));
            assertEquals(d.status(), resent.status(), "already applied results are stale at " + i);
        }
    }

    @Test
    void aRestartReplaysTheSameDecisionsFromTheStatusAlone() {
        SearchSpec spec = async(8, 5);
        ClockSimulation reference = run(spec);
        assertEquals(reference.decisions, run(spec).decisions, "identical inputs, identical decisions");
        for (int crash = 1; crash < reference.decisions.size() - 1; crash += 5) {
            // The driver kept the status written before the crash; on restart it sees every result so far,
            // those it applied before and the one that arrived while it was down.
            SearchStatus kept = ClockSimulation.throughJson(reference.decisions.get(crash - 1).status());
            List<MemberResult> visible = new ArrayList<>(reference.results.subList(0, crash));
            Collections.reverse(visible);
            Decision restarted = Engine.decide(spec, kept, visible);
            assertEquals(reference.decisions.get(crash).status(), restarted.status(), "restart at " + crash);
            assertEquals(reference.decisions.get(crash).actions(), restarted.actions(), "restart at " + crash);
        }
    }

    @Test
    void wallClockTimesAreCarriedIntoTheLogAndNeverChangeADecision() {
        SearchSpec spec = spec(Strategy.PBT_NAS, 8, 5, SPACE, 3, null, null);
        ClockSimulation untimed = run(spec);
        java.time.Instant origin = java.time.Instant.parse("2026-01-01T00:00:00Z");
        ClockSimulation timed = new ClockSimulation().timedFrom(origin)
                .run(spec, AsynchronousTest::duration, AsynchronousTest::succeed);
        // Other times (decades earlier): still the same decisions.
        ClockSimulation odd = new ClockSimulation().timedFrom(java.time.Instant.parse("1971-06-01T00:00:00Z"))
                .run(spec, AsynchronousTest::duration, AsynchronousTest::succeed);
        for (ClockSimulation other : List.of(timed, odd)) {
            assertEquals(untimed.decisions.size(), other.decisions.size());
            for (int i = 0; i < untimed.decisions.size(); i++) {
                assertEquals(untimed.decisions.get(i).actions(), other.decisions.get(i).actions(), "decision " + i);
                assertEquals(untimed.decisions.get(i).status().members(), other.decisions.get(i).status().members());
            }
            assertEquals(untimed.status.best(), other.status.best());
            assertEquals(untimed.status.arrivals(), other.status.arrivals().stream().map(a -> a.at(null, null)).toList(),
                    "the same log, but for the times");
        }
        // Each arrival carries its own run's start and finish, whatever verdict it got later.
        Map<List<Integer>, ClockSimulation.Run> runs = new HashMap<>();
        timed.runs.forEach(r -> runs.put(List.of(r.train().member(), r.train().generation(), r.train().attempt()), r));
        assertEquals(timed.runs.size(), timed.status.arrivals().size());
        for (Arrival a : timed.status.arrivals()) {
            ClockSimulation.Run r = runs.get(List.of(a.member(), a.step(), a.attempt()));
            assertEquals(ClockSimulation.at(origin, r.start()), a.startedAt(), a.toString());
            assertEquals(ClockSimulation.at(origin, r.end()), a.finishedAt(), a.toString());
        }
        assertTrue(timed.status.arrivals().stream().anyMatch(a -> a.verdict() == Arrival.Verdict.UNJUDGED
                || a.verdict() == Arrival.Verdict.REPLACED), "the log holds judged-later verdicts too");
        // And they survive the status's JSON (the CRD's status, status.json).
        assertEquals(timed.status.arrivals(), ClockSimulation.throughJson(timed.status).arrivals());
    }

    @Test
    void theArrivalLogReplaysTheWholeSearch() {
        SearchSpec spec = async(8, 5);
        SearchStatus end = run(spec).status;
        Decision d = Engine.decide(spec, null, List.of());
        for (Arrival a : end.arrivals()) {
            MemberResult r = a.score() == null ? MemberResult.failed(a.member(), a.step(), a.attempt(), "replayed")
                    : MemberResult.succeeded(a.member(), a.step(), a.attempt(), a.score());
            d = Engine.decide(spec, d.status(), List.of(r));
        }
        assertEquals(end.members(), d.status().members());
        assertEquals(end.arrivals(), d.status().arrivals());
        assertEquals(end.best(), d.status().best());
        assertEquals(Phase.COMPLETE, d.status().phase());
    }

    @Test
    void resultsObservedTogetherAreAppliedInOneOrderWhateverTheirListOrder() {
        SearchSpec spec = async(8, 4);
        Decision start = Engine.decide(spec, null, List.of());
        List<MemberResult> batch = new ArrayList<>();
        for (Action a : start.actions()) {
            batch.add(succeed((Action.Train) a));
        }
        Decision sorted = Engine.decide(spec, start.status(), batch);
        Collections.reverse(batch);
        assertEquals(sorted, Engine.decide(spec, start.status(), batch));
        List<Arrival> log = sorted.status().arrivals();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), log.stream().map(Arrival::member).toList(),
                "one batch: by step, then member");
        // The first three waited within the call and were judged once the fourth made the quorum.
        assertTrue(log.stream().noneMatch(a -> a.verdict() == Arrival.Verdict.UNJUDGED
                || a.verdict() == Arrival.Verdict.WAITING), log.toString());
        assertEquals(List.of(4, 4, 4, 4, 5, 6, 7, 8), log.stream().map(Arrival::ranked).toList());
    }

    @Test
    void withFewerGpusThanMembersEarlyFinishersWaitForTheirJudgementWithoutIdlingAGpu() {
        // The slots of the previous test (slot m takes 1 + m per step), now on 4 GPUs for 8 members.
        SearchSpec spec = spec(Strategy.PBT_NAS, 8, 6, SPACE, 4, null, null);
        ClockSimulation sim = new ClockSimulation().run(spec, t -> 1 + t.member(), AsynchronousTest::succeed);
        assertEquals(Phase.COMPLETE, sim.status.phase());
        for (Decision d : sim.decisions) {
            SearchStatus s = d.status();
            long training = s.members().stream().filter(m -> m.state() == MemberState.TRAINING).count();
            if (s.phase() == Phase.TRAINING && training < 4) {
                assertTrue(s.members().stream().noneMatch(m -> m.state() == MemberState.PENDING), "a GPU idles "
                        + "while a member is pending");
                assertTrue(s.arrivals().stream().noneMatch(a -> a.verdict() == Arrival.Verdict.WAITING),
                        "a GPU idles while a member waits for its judgement");
            }
        }
        long unjudged = sim.status.arrivals().stream().filter(a -> a.verdict() == Arrival.Verdict.UNJUDGED).count();
        long judgedFast = sim.status.arrivals().stream().filter(a -> a.member() < 3 && (a.verdict()
                == Arrival.Verdict.KEPT || a.verdict() == Arrival.Verdict.REPLACED)).count();
        assertTrue(unjudged < 15, "fewer unjudged than with a GPU per member (15): " + unjudged);
        assertTrue(judgedFast > 0, "the fast slots are judged too");
        assertEquals(8 * 6, sim.runs.size(), "every member still trains every step");
    }

    @Test
    void progressAndTheStatusSurviveJson() {
        SearchSpec spec = async(8, 4);
        ClockSimulation sim = run(spec);
        Decision mid = sim.decisions.get(12);
        SearchStatus s = mid.status();
        assertEquals(s, ClockSimulation.throughJson(s));
        assertTrue(s.condition("Progressing").orElseThrow().message().matches(
                "asynchronous: 12/32 member-steps done, slowest member at step \\d of 4, \\d+ unjudged"),
                s.condition("Progressing").orElseThrow().message());
        int slowest = s.members().stream().mapToInt(MemberStatus::stepsDone).min().orElseThrow();
        assertEquals(slowest, s.generation());
        if (slowest > 0) {
            assertNotNull(s.best());
            assertEquals(slowest - 1, s.best().generation(), "best of the latest step every member finished");
        }
    }

    @Test
    void whenStepTimeFollowsTheArchitectureTheCheapestGoUnjudged() {
        // In this simulation the cheap architectures also score worst, and they are never replaced: they
        // always arrive before the quorum and the expensive ones that are judged rank above them.
        SearchSpec spec = async(8, 6);
        ClockSimulation sim = new ClockSimulation().run(spec, AsynchronousTest::costDuration,
                AsynchronousTest::succeed);
        Map<Integer, Long> unjudged = new HashMap<>();
        sim.status.arrivals().stream().filter(a -> a.verdict() == Arrival.Verdict.UNJUDGED)
                .forEach(a -> unjudged.merge(a.member(), 1L, Long::sum));
        double cheapest = sim.status.members().stream().filter(m -> unjudged.containsKey(m.id()))
                .mapToDouble(m -> m.genome().values().stream().mapToDouble(COST::get).sum()).max().orElseThrow();
        double judged = sim.status.members().stream().filter(m -> !unjudged.containsKey(m.id()))
                .mapToDouble(m -> m.genome().values().stream().mapToDouble(COST::get).sum()).min().orElseThrow();
        assertTrue(cheapest < judged, "every unjudged member is cheaper than every judged one: " + unjudged);
        assertEquals(15, unjudged.values().stream().mapToLong(Long::longValue).sum(), "3 per judged step");
        assertTrue(sim.status.members().stream().allMatch(m -> m.replacedAt().isEmpty()),
                "nobody is ever replaced: the worst members are the immune ones");
    }

    @Test
    void theQuorumNeverJudgesMembersThatAlwaysFinishFirst() {
        // §4's caveat, made visible: slots on faster hardware (or cheaper architectures) finish every step
        // among the first ceil(N/2) − 1 and are never judged; status.arrivals lets a benchmark count it.
        SearchSpec spec = async(8, 6);
        ClockSimulation sim = new ClockSimulation().run(spec, t -> 1 + t.member(), AsynchronousTest::succeed);
        Map<Integer, Integer> unjudged = new HashMap<>();
        for (Arrival a : sim.status.arrivals()) {
            if (a.verdict() == Arrival.Verdict.UNJUDGED) {
                unjudged.merge(a.member(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of(0, 5, 1, 5, 2, 5), unjudged);
        assertTrue(sim.status.members().stream().filter(m -> m.id() < 3).allMatch(m -> m.replacedAt().isEmpty()));
    }

    @Test
    void failedMembersAreRetriedThenWaitForAChildOrAreDropped() {
        Function<Action.Train, MemberResult> flaky = t -> t.member() == 3 && t.generation() == 0
                ? MemberResult.failed(t.member(), t.generation(), t.attempt(), "CUDA out of memory") : succeed(t);
        SearchSpec spec = async(8, 4);
        ClockSimulation sim = new ClockSimulation().run(spec, t -> t.member() == 3 ? 0.1 : duration(t), flaky);
        List<Arrival> m3 = sim.status.arrivals().stream().filter(a -> a.member() == 3).toList();
        assertEquals(List.of(Arrival.Verdict.RETRY, Arrival.Verdict.RETRY, Arrival.Verdict.FAILED),
                m3.subList(0, 3).stream().map(Arrival::verdict).toList());
        MemberStatus three = sim.status.member(3);
        assertEquals(List.of(0), three.failedAt());
        assertTrue(three.replacedAt().contains(1), "replaced once the step-0 ranking had a pool");
        assertEquals(3, three.scores().size(), "the child trained steps 1..3");
        assertEquals(Phase.COMPLETE, sim.status.phase());
        // It failed first, so it waited: its child started only after the quorum of step 0 had arrived.
        double childStart = sim.runs.stream().filter(r -> r.train().member() == 3 && r.train().generation() == 1)
                .findFirst().orElseThrow().start();
        long before = sim.runs.stream().filter(r -> r.train().generation() == 0 && r.train().member() != 3
                && r.end() <= childStart).count();
        assertTrue(before >= quorum(8), "child started after " + before + " step-0 results");

        SearchSpec degrade = spec(Strategy.PBT_NAS, 8, 4, SPACE, null,
                new FailurePolicy(0, FailurePolicy.OnExhausted.DEGRADE), null);
        ClockSimulation dropped = new ClockSimulation().run(degrade, AsynchronousTest::duration, flaky);
        assertEquals(MemberState.DROPPED, dropped.status.member(3).state());
        assertEquals(Phase.COMPLETE, dropped.status.phase());
        assertEquals(ConditionStatus.TRUE, dropped.status.condition("Degraded").orElseThrow().status());
        // Seven members left: the quorum is ceil(7/2) = 4, so three go unjudged per step still.
        assertEquals(3, dropped.status.arrivals().stream().filter(a -> a.step() == 1
                && a.verdict() == Arrival.Verdict.UNJUDGED).count());
    }

    @Test
    void parallelismLimitsTrainingAndStartsTheFurthestBehindFirst() {
        SearchSpec spec = spec(Strategy.PBT_NAS, 8, 4, SPACE, 3, null, null);
        ClockSimulation sim = run(spec);
        assertEquals(Phase.COMPLETE, sim.status.phase());
        for (ClockSimulation.Run r : sim.runs) {
            long concurrent = sim.runs.stream().filter(o -> o.start() <= r.start() && o.end() > r.start()).count();
            assertTrue(concurrent <= 3, "at most 3 training at " + r.start());
        }
        for (Decision d : sim.decisions) {
            List<MemberStatus> training = d.status().members().stream()
                    .filter(m -> m.state() == MemberState.TRAINING).toList();
            List<MemberStatus> pending = d.status().members().stream()
                    .filter(m -> m.state() == MemberState.PENDING).toList();
            if (!pending.isEmpty() && !training.isEmpty()) {
                int minPending = pending.stream().mapToInt(MemberStatus::stepsDone).min().orElseThrow();
                assertEquals(3, training.size());
                assertTrue(training.stream().anyMatch(m -> m.stepsDone() <= minPending)
                        || training.stream().allMatch(m -> m.stepsDone() <= minPending + 1),
                        "no member races ahead while others wait: " + d.status().members());
            }
        }
        assertEquals(8 * 4, sim.runs.size());
    }

    @Test
    void plainPbtMutationAndRandomRunAsynchronously() {
        SearchSpace plain = new SearchSpace(List.of(), HPARAMS);
        for (Strategy s : Strategy.values()) {
            SearchSpec spec = spec(s, 8, 5, plain, null, null, null);
            ClockSimulation sim = new ClockSimulation().run(spec, t -> 1 + (t.member() * 31 + t.generation()) % 5,
                    AsynchronousTest::succeed);
            assertEquals(Phase.COMPLETE, sim.status.phase(), s + ": " + sim.status.message());
            for (MemberStatus m : sim.status.members()) {
                assertEquals(5, m.hparams().size(), "values for every step");
                assertEquals(Map.of(), m.genome());
                if (s == Strategy.RANDOM) {
                    assertTrue(m.replacedAt().isEmpty());
                    assertTrue(m.hparams().stream().allMatch(h -> h.equals(m.hparams().get(0))),
                            "random draws once and never changes");
                }
            }
            if (s != Strategy.RANDOM) {
                assertTrue(sim.status.members().stream().anyMatch(m -> !m.replacedAt().isEmpty()), s.code());
                assertTrue(sim.status.members().stream().anyMatch(m -> !m.hparams().get(4).equals(m.hparams().get(0))),
                        s.code() + " explores");
            }
        }
    }

    @Test
    void aRunningSearchCannotSwitchSchedules() {
        SearchSpec async = async(8, 4);
        SearchSpec sync = new SearchSpec(Strategy.PBT_NAS, 8, 4, 1, null, 7L, null, null, SPACE, null, null, null,
                null, null, null);
        SearchStatus asyncMid = run(async).decisions.get(9).status();
        Decision toSync = Engine.decide(sync, asyncMid, List.of());
        assertEquals(Phase.FAILED, toSync.status().phase());
        assertTrue(toSync.status().message().startsWith("spec.schedule changed to synchronous after the search had "
                + "trained a step asynchronously"), toSync.status().message());
        SearchStatus syncMid = new Simulation().run(sync, AsynchronousTest::succeed).decisions.get(2).status();
        assertEquals(Phase.FAILED, Engine.decide(async, syncMid, List.of()).status().phase());
        // Before any step has finished the schedule may still change.
        SearchStatus fresh = Engine.decide(sync, null, List.of()).status();
        assertEquals(Phase.TRAINING, Engine.decide(async, fresh, List.of()).status().phase());
    }

    @Test
    void loweringGenerationsEndsTheSearchAtTheNewLastStep() {
        SearchSpec five = async(6, 5);
        ClockSimulation sim = run(five);
        Decision mid = sim.decisions.get(10);
        SearchSpec two = spec(Strategy.PBT_NAS, 6, 2, SPACE, null, null, null);
        Decision d = Engine.decide(two, mid.status(), List.of());
        // Keep feeding the in-flight steps until the search ends.
        for (int i = 0; i < 50 && d.status().phase() == Phase.TRAINING; i++) {
            List<MemberResult> rs = d.actions().stream().map(a -> succeed((Action.Train) a)).toList();
            d = Engine.decide(two, d.status(), rs);
        }
        assertEquals(Phase.COMPLETE, d.status().phase(), d.status().message());
        assertEquals(1, d.status().best().generation());
        assertNotEquals(null, d.status().best());
    }
}
