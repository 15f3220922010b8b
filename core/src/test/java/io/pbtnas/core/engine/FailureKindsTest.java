package io.pbtnas.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pbtnas.core.contract.TrainerExit;
import io.pbtnas.core.json.Json;
import io.pbtnas.core.model.FailurePolicy;
import io.pbtnas.core.model.MemberState;
import io.pbtnas.core.model.MemberStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Strategy;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §5: a disruption is retried without using a retry, bad input (trainer exit 2) is not
 * retried, other failures use failurePolicy.maxRetries; the same rule in both schedules.
 */
class FailureKindsTest {
    static SearchSpec spec(Schedule schedule, int maxRetries) {
        return new SearchSpec(Strategy.PBT_NAS, 8, 3, 1, null, 42L, null, null, EngineTest.SPACE, null, null, null,
                new FailurePolicy(maxRetries, FailurePolicy.OnExhausted.REPLACE), null, schedule);
    }

    static List<Integer> attemptsOf(List<Decision> decisions, int member, int generation) {
        return decisions.stream().flatMap(d -> d.actions().stream())
                .filter(a -> a instanceof Action.Train t && t.member() == member && t.generation() == generation)
                .map(a -> ((Action.Train) a).attempt()).distinct().toList();
    }

    static List<Decision> run(SearchSpec spec, Function<Action.Train, MemberResult> outcome) {
        if (spec.schedule() == Schedule.ASYNCHRONOUS) {
            ClockSimulation sim = new ClockSimulation().run(spec, AsynchronousTest::duration, outcome);
            return sim.decisions;
        }
        return new Simulation().run(spec, outcome).decisions;
    }

    static SearchStatus last(List<Decision> decisions) {
        return decisions.get(decisions.size() - 1).status();
    }

    @Test
    void disruptionsGetNewAttemptsWithoutUsingRetriesInBothSchedules() {
        for (Schedule schedule : Schedule.values()) {
            // Member 2's step 1 is evicted three times, then fails once, then succeeds: with maxRetries 1
            // it must still finish (three disruptions used no retry, the failure used the one retry).
            Function<Action.Train, MemberResult> evicted = t -> t.member() == 2 && t.generation() == 1 && t.attempt() < 3
                    ? MemberResult.disrupted(2, 1, t.attempt(), "pod m2 evicted (EvictionByEvictionAPI)")
                    : t.member() == 2 && t.generation() == 1 && t.attempt() == 3
                    ? MemberResult.failed(2, 1, 3, "container trainer exited with 1")
                    : AsynchronousTest.succeed(t);
            List<Decision> ds = run(spec(schedule, 1), evicted);
            assertEquals(List.of(0, 1, 2, 3, 4), attemptsOf(ds, 2, 1), schedule + ": a new pod name per attempt");
            SearchStatus end = last(ds);
            assertEquals(Phase.COMPLETE, end.phase(), schedule + ": " + Json.write(end));
            assertEquals(List.of(), end.member(2).failedAt(), schedule.code());
            assertEquals(3, end.member(2).scores().size(), schedule.code());
            // While it retried, the status said how many disruptions there were and that they used no retry.
            MemberStatus during = ds.stream().map(d -> d.status().member(2))
                    .filter(m -> m.stepsDone() == 1 && m.attempts() == 3).findFirst().orElseThrow();
            assertEquals(3, during.disruptionCount(), schedule.code());
            assertEquals(0, during.retriesUsed(), schedule.code());
            assertTrue(during.message().contains("disrupted, retried without using a retry: pod m2 evicted"),
                    during.message());
            // The next step starts with a clean count (and the field unset, as in statuses from before).
            MemberStatus next = ds.stream().map(d -> d.status().member(2)).filter(m -> m.stepsDone() == 2)
                    .findFirst().orElseThrow();
            assertNull(next.disruptions(), schedule.code());
        }
    }

    @Test
    void theSameFailuresWithoutTheDisruptionKindExhaustTheRetries() {
        // The control of the test above: had evictions been plain failures, maxRetries 1 fails the member.
        for (Schedule schedule : Schedule.values()) {
            Function<Action.Train, MemberResult> failing = t -> t.member() == 2 && t.generation() == 1 && t.attempt() < 4
                    ? MemberResult.failed(2, 1, t.attempt(), "container trainer exited with 1")
                    : AsynchronousTest.succeed(t);
            List<Decision> ds = run(spec(schedule, 1), failing);
            assertEquals(List.of(0, 1), attemptsOf(ds, 2, 1), schedule.code());
            assertEquals(List.of(1), last(ds).member(2).failedAt(), schedule.code());
        }
    }

    @Test
    void badInputFailsTheMemberAtOnceWithTheTrainersMessage() {
        for (Schedule schedule : Schedule.values()) {
            Function<Action.Train, MemberResult> bad = t -> t.member() == 5 && t.generation() == 0
                    ? MemberResult.badInput(5, 0, t.attempt(), "container trainer exited with 2: bad input: "
                            + "PBTNAS_TASK_ARGS.width: must be a positive integer")
                    : AsynchronousTest.succeed(t);
            List<Decision> ds = run(spec(schedule, 3), bad);
            assertEquals(List.of(0), attemptsOf(ds, 5, 0), schedule + ": maxRetries 3, yet one attempt only");
            assertEquals(List.of(0), last(ds).member(5).failedAt(), schedule.code());
            MemberStatus failedNow = afterOnly(spec(schedule, 3), bad.apply(train(5)));
            assertEquals(MemberState.FAILED, failedNow.state(), schedule.code());
            String msg = failedNow.message();
            assertTrue(msg.contains("bad input, not retried") && msg.contains("width: must be a positive integer"),
                    msg);
            assertEquals(Phase.COMPLETE, last(ds).phase(), "the failed member is replaced, as after exhausted retries");
        }
    }

    @Test
    void anEndlesslyDisruptedMemberFailsWithTheBoundInItsMessage() {
        for (Schedule schedule : Schedule.values()) {
            Function<Action.Train, MemberResult> preempted = t -> t.member() == 1 && t.generation() == 0
                    ? MemberResult.disrupted(1, 0, t.attempt(), "preempted (PreemptionByScheduler)")
                    : AsynchronousTest.succeed(t);
            List<Decision> ds = run(spec(schedule, 2), preempted);
            assertEquals(FailedAttempt.MAX_DISRUPTIONS, attemptsOf(ds, 1, 0).size(), schedule.code());
            assertEquals(List.of(0), last(ds).member(1).failedAt(), schedule.code());
            SearchSpec sp = spec(schedule, 2);
            Decision d = Engine.decide(sp, null, List.of());
            for (int a = 0; a < FailedAttempt.MAX_DISRUPTIONS; a++) {
                d = Engine.decide(sp, d.status(), List.of(MemberResult.disrupted(1, 0, a, "preempted")));
            }
            String msg = d.status().member(1).message();
            assertEquals(MemberState.FAILED, d.status().member(1).state(), msg);
            assertTrue(msg.contains("disrupted " + FailedAttempt.MAX_DISRUPTIONS + " times")
                    && msg.contains("at most " + FailedAttempt.MAX_DISRUPTIONS), msg);
            assertEquals(Phase.COMPLETE, last(ds).phase());
        }
    }

    static Action.Train train(int member) {
        return new Action.Train(member, 0, 0, 0, 1, null, null, null, java.util.Map.of());
    }

    /** The member after only this result arrived (the others still train, so nothing is settled). */
    static MemberStatus afterOnly(SearchSpec spec, MemberResult r) {
        Decision d = Engine.decide(spec, null, List.of());
        return Engine.decide(spec, d.status(), List.of(r)).status().member(r.member());
    }

    @Test
    void aStatusWithDisruptionsSurvivesJsonAndReplays() {
        SearchSpec spec = spec(Schedule.SYNCHRONOUS, 1);
        Decision d = Engine.decide(spec, null, List.of());
        d = Engine.decide(spec, d.status(), List.of(MemberResult.disrupted(0, 0, 0, "node lost")));
        MemberStatus m = d.status().member(0);
        assertEquals(MemberState.TRAINING, m.state());
        assertEquals(1, m.attempts());
        assertEquals(1, m.disruptionCount());
        SearchStatus restored = Json.MAPPER.convertValue(Json.MAPPER.valueToTree(d.status()), SearchStatus.class);
        assertEquals(d.status(), restored);
        assertEquals(d, Engine.decide(spec, restored, List.of()));
    }

    @Test
    void exitCodesMapToOutcomesOnceForEveryDriver() {
        assertEquals(Outcome.SUCCEEDED, TrainerExit.outcome(0));
        assertEquals(Outcome.FAILED, TrainerExit.outcome(1));
        assertEquals(Outcome.BAD_INPUT, TrainerExit.outcome(2));
        assertEquals(Outcome.FAILED, TrainerExit.outcome(137));
    }
}
