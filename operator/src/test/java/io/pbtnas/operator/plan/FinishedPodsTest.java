package io.pbtnas.operator.plan;

import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.pods.PodLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.engine.Action;
import io.pbtnas.core.engine.Decision;
import io.pbtnas.core.engine.Engine;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.model.Schedule;
import io.pbtnas.core.model.SearchSpec;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.model.Strategy;
import io.pbtnas.core.space.Gene;
import io.pbtnas.core.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinishedPodsTest {
    static final SearchSpace SPACE = new SearchSpace(List.of(new Gene("cell0", List.of("a", "b", "c")),
            new Gene("cell1", List.of("a", "b", "c"))));

    static SearchSpec spec(Schedule schedule) {
        return new SearchSpec(Strategy.PBT_NAS, 4, 3, 1, null, 5L, null, null, SPACE, null, null, null, null, null,
                schedule);
    }

    static Pod pod(Action.Train t, String phase) {
        return new PodBuilder().withNewMetadata()
                .withName(PodLabels.memberPodName("s", t.member(), t.generation(), t.attempt()))
                .withLabels(PodLabels.member("s", t.member(), t.generation(), t.attempt())).endMetadata()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    static Action.Train train(int m, int g, int a) {
        return new Action.Train(m, g, a, g, g + 1, null, null, null, java.util.Map.of());
    }

    /**
     * Runs a whole search as the operator does (member 1 fails its first attempt of generation 1 and of
     * generation 2), keeping the pods that FinishedPods leaves after each persisted status.
     */
    @Test
    void aWholeSearchLeavesAtMostOneFailedPodPerMemberAndNeverNeedsADeletedPodAgain() {
        for (Schedule schedule : Schedule.values()) {
            SearchSpec spec = spec(schedule);
            List<Pod> pods = new ArrayList<>();
            Decision d = Engine.decide(spec, null, List.of());
            int created = 0;
            for (int round = 0; round < 200 && d.actions().stream().anyMatch(Action.Train.class::isInstance); round++) {
                SearchStatus persisted = d.status();
                // A pod the status records as finished is never asked for again: deleting it is safe.
                for (Action a : d.actions()) {
                    if (a instanceof Action.Train t) {
                        assertFalse(FinishedPods.recorded(persisted,
                                new PodObserver.PodKey(t.member(), t.generation(), t.attempt())),
                                schedule + ": the engine asks again for recorded attempt " + t);
                    }
                }
                List<MemberResult> results = new ArrayList<>();
                for (Action a : d.actions()) {
                    Action.Train t = (Action.Train) a;
                    String name = PodLabels.memberPodName("s", t.member(), t.generation(), t.attempt());
                    if (pods.stream().anyMatch(p -> p.getMetadata().getName().equals(name))) {
                        continue;
                    }
                    boolean fails = t.member() == 1 && t.generation() >= 1 && t.attempt() == 0;
                    pods.add(pod(t, fails ? "Failed" : "Succeeded"));
                    created++;
                    results.add(fails ? MemberResult.failed(1, t.generation(), 0, "exit 1")
                            : MemberResult.succeeded(t.member(), t.generation(), t.attempt(),
                                    t.member() + 0.1 * t.generation()));
                }
                d = Engine.decide(spec, persisted, results);
                // The next reconcile sees the patched status: its finished pods go.
                pods.removeAll(FinishedPods.toDelete(d.status(), pods));
            }
            assertEquals(io.pbtnas.core.model.Phase.COMPLETE, d.status().phase(), schedule.code());
            assertEquals(4 * 3 + 2, created, schedule + ": every step of every member, and two retries");
            List<String> left = pods.stream().map(p -> p.getMetadata().getName()).toList();
            assertEquals(List.of("s-m1-g2-a0"), left, schedule + ": only member 1's last failed attempt stays");
        }
    }

    @Test
    void nothingGoesBeforeTheStatusRecordsItOrWhileItRuns() {
        SearchSpec spec = spec(Schedule.SYNCHRONOUS);
        SearchStatus start = Engine.decide(spec, null, List.of()).status();
        Pod done = pod(train(0, 0, 0), "Succeeded");
        Pod running = pod(train(1, 0, 0), "Running");
        assertTrue(FinishedPods.toDelete(null, List.of(done)).isEmpty(), "no status persisted yet");
        assertTrue(FinishedPods.toDelete(start, List.of(done, running)).isEmpty(), "the status has no result yet");
        SearchStatus recorded = Engine.decide(spec, start, List.of(MemberResult.succeeded(0, 0, 0, 1.0))).status();
        assertEquals(List.of(done), FinishedPods.toDelete(recorded, List.of(done, running)));
        done.getMetadata().setDeletionTimestamp("2026-12-01T12:00:00Z");
        assertTrue(FinishedPods.toDelete(recorded, List.of(done)).isEmpty(), "already being deleted");
        // A failed attempt is kept while it is the member's last; an older one goes once a newer one fails.
        Pod failed0 = pod(train(2, 0, 0), "Failed");
        Pod failed1 = pod(train(2, 0, 1), "Failed");
        SearchStatus once = Engine.decide(spec, start, List.of(MemberResult.failed(2, 0, 0, "exit 1"))).status();
        assertTrue(FinishedPods.toDelete(once, List.of(failed0)).isEmpty(), "the member's last failed pod stays");
        SearchStatus retried = Engine.decide(spec, once, List.of(MemberResult.failed(2, 0, 1, "exit 1"))).status();
        assertEquals(2, retried.member(2).attempts());
        assertEquals(List.of(failed0), FinishedPods.toDelete(retried, List.of(failed0, failed1)));
    }
}
