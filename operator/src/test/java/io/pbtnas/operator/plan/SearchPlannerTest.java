package io.pbtnas.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.model.ConditionStatus;
import io.pbtnas.core.model.Phase;
import io.pbtnas.core.model.SearchStatus;
import io.pbtnas.core.status.ConditionType;
import io.pbtnas.operator.api.PbtNasSearch;
import io.pbtnas.operator.observe.ObservedSearch;
import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodBuildersTest;
import io.pbtnas.operator.pods.PodLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole reconciles planned without an API server: pods, events and status from what was observed. */
class SearchPlannerTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final SearchPlanner PLANNER = new SearchPlanner(PodBuildersTest.CONFIG);

    static PbtNasSearch search(SearchStatus status) {
        PbtNasSearch s = PodBuildersTest.search();
        s.setSpec(PodBuildersTest.spec());
        s.getMetadata().setGeneration(1L);
        s.setStatus(status);
        return s;
    }

    @Test
    void aNewSearchStartsAsManyMemberPodsAsParallelismAllowsAndWritesItsStatus() {
        SearchPlan plan = PLANNER.plan(ObservedSearch.of(search(null), List.of()), NOW);
        // PodBuildersTest.spec(): population 8, parallelism 2.
        assertEquals(List.of("fm-m0-g0-a0", "fm-m1-g0-a0"), plan.create().stream().map(p -> p.getMetadata().getName()).toList());
        assertTrue(plan.delete().isEmpty());
        assertTrue(plan.export().isEmpty());
        SearchStatus s = plan.status();
        assertEquals(Phase.TRAINING, s.phase());
        assertEquals(1L, s.observedGeneration());
        for (ConditionType t : List.of(ConditionType.READY, ConditionType.PROGRESSING, ConditionType.DEGRADED,
                ConditionType.COMPLETE, ConditionType.FAILED, ConditionType.EXPORTED, ConditionType.STUCK)) {
            var c = s.condition(t.code()).orElseThrow(() -> new AssertionError(t.code()));
            assertEquals(NOW.toString(), c.lastTransitionTime(), t.code());
            assertEquals(1L, c.observedGeneration(), t.code());
        }
        assertFalse(s.condition(ConditionType.SUSPENDED.code()).isPresent());
    }

    @Test
    void planningTheSameObservationTwiceGivesTheSamePlan() {
        SearchPlan first = PLANNER.plan(ObservedSearch.of(search(null), List.of()), NOW);
        SearchPlan again = PLANNER.plan(ObservedSearch.of(search(first.status()), first.create()), NOW.plusSeconds(30));
        assertTrue(again.create().isEmpty(), "the pods already exist");
        assertEquals(first.status(), again.status(), "no status churn while members train");
        assertTrue(again.events().isEmpty());
    }

    @Test
    void aFailedMemberPodIsReportedOnceAndItsRetryWaitsForTheBackoff() {
        SearchPlan first = PLANNER.plan(ObservedSearch.of(search(null), List.of()), NOW);
        List<Pod> pods = new ArrayList<>(first.create());
        Pod failed = new PodBuilder(pods.get(0)).withNewStatus().withPhase("Failed").addNewInitContainerStatus()
                .withName(ContainerNames.TRAINER).withNewState().withNewTerminated().withExitCode(1)
                .withFinishedAt(NOW.toString()).endTerminated().endState().endInitContainerStatus().endStatus().build();
        pods.set(0, failed);
        SearchPlan next = PLANNER.plan(ObservedSearch.of(search(first.status()), pods), NOW.plusSeconds(1));
        assertEquals(1, next.reports().size());
        assertEquals(SearchEvent.POD_FAILED, next.reports().get(0).event().reason());
        assertTrue(next.create().isEmpty(), "the retry waits for its backoff (10 s)");
        assertEquals(java.time.Duration.ofSeconds(9), next.requeue());
        Pod marked = new PodBuilder(failed).editMetadata().addToAnnotations(FailureReports.REPORTED, "true")
                .endMetadata().build();
        pods.set(0, marked);
        SearchPlan later = PLANNER.plan(ObservedSearch.of(search(next.status()), pods), NOW.plusSeconds(11));
        assertTrue(later.reports().isEmpty(), "reported once");
        assertEquals(List.of("fm-m0-g0-a1"), later.create().stream().map(p -> p.getMetadata().getName()).toList());
    }

    @Test
    void anInvalidSpecPausesTheSearchWithoutTouchingPods() {
        PbtNasSearch s = search(null);
        Pod running = PLANNER.plan(ObservedSearch.of(s, List.of()), NOW).create().get(0);
        ObservedSearch seen = new ObservedSearch(s, s.getSpec(), List.of("spec.population: must be >= 1, got 0"),
                null, 2, List.of(running), List.of(running), List.of(), List.of(), List.of());
        SearchPlan plan = PLANNER.plan(seen, NOW);
        assertTrue(plan.create().isEmpty() && plan.delete().isEmpty());
        assertEquals(ConditionStatus.TRUE, plan.status().condition(ConditionType.PAUSED.code()).orElseThrow().status());
        assertEquals(List.of(SearchEvent.INVALID_SPEC), plan.events().stream().map(SearchEvent::reason).toList());
    }

    @Test
    void aDeletedSearchStopsItsPodsFirst() {
        PbtNasSearch s = search(null);
        s.getMetadata().setDeletionTimestamp(NOW.toString());
        Pod member = PLANNER.plan(ObservedSearch.of(search(null), List.of()), NOW).create().get(0);
        CleanupPlan plan = new CleanupPlanner(PodBuildersTest.CONFIG).plan(ObservedSearch.of(s, List.of(member)), NOW);
        assertEquals(List.of(member), plan.delete());
        assertFalse(plan.release());
        CleanupPlan done = new CleanupPlanner(PodBuildersTest.CONFIG).plan(ObservedSearch.of(s, List.of()), NOW);
        assertTrue(done.release(), "retention keep: nothing to delete once the pods are gone");
        assertEquals(PodLabels.ROLE_MEMBER, member.getMetadata().getLabels().get(PodLabels.ROLE));
    }
}
