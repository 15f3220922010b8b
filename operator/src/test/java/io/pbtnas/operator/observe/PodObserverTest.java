package io.pbtnas.operator.observe;

import io.pbtnas.core.status.StuckPod;

import io.pbtnas.operator.pods.ContainerNames;
import io.pbtnas.operator.pods.PodLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pbtnas.core.engine.MemberResult;
import io.pbtnas.core.engine.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodObserverTest {

    private static Pod pod(int m, int g, int a, String phase, String container, int exit, String message) {
        return new PodBuilder()
                .withNewMetadata().withName("s-m" + m + "-g" + g + "-a" + a)
                    .withLabels(PodLabels.member("s", m, g, a)).endMetadata()
                .withNewStatus().withPhase(phase)
                    .addNewContainerStatus().withName(container).withNewState().withNewTerminated()
                        .withExitCode(exit).withMessage(message).withReason(exit == 0 ? "Completed" : "Error")
                    .endTerminated().endState().endContainerStatus()
                .endStatus().build();
    }

    @Test
    void succeededPodGivesTheScoreOfItsTerminationMessage() {
        List<MemberResult> r = PodObserver.results(List.of(
                pod(3, 1, 0, "Succeeded", ContainerNames.TRAINER, 0, "{\"score\": 0.875, \"epoch\": 2}")));
        assertEquals(List.of(new MemberResult(3, 1, 0, Outcome.SUCCEEDED, 0.875, null)), r);
    }

    @Test
    void aResultCarriesThePodsStartAndFinishTimesForTheTimeline() {
        Pod p = pod(3, 1, 0, "Succeeded", ContainerNames.TRAINER, 0, "{\"score\": 0.875, \"epoch\": 2}");
        p.getStatus().setStartTime("2026-05-01T12:00:03Z");
        p.getStatus().getContainerStatuses().get(0).getState().getTerminated().setFinishedAt("2026-05-01T12:04:10Z");
        p.getStatus().setInitContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName(ContainerNames.MIX).withNewState().withNewTerminated().withExitCode(0)
                .withFinishedAt("2026-05-01T12:00:09Z").endTerminated().endState().build()));
        MemberResult r = PodObserver.results(List.of(p)).get(0);
        assertEquals("2026-05-01T12:00:03Z", r.startedAt());
        assertEquals("2026-05-01T12:04:10Z", r.finishedAt(), "the last container to finish");
        assertEquals(new MemberResult(3, 1, 0, Outcome.SUCCEEDED, 0.875, null), r.withTimes(null, null),
                "the rest as without times");
        Pod failed = pod(1, 2, 1, "Failed", ContainerNames.MIX, 2, "bad plan");
        failed.getStatus().getContainerStatuses().get(0).getState().getTerminated().setFinishedAt("2026-05-01T12:01:00Z");
        assertEquals("2026-05-01T12:01:00Z", PodObserver.results(List.of(failed)).get(0).finishedAt());
        assertEquals(null, PodObserver.results(List.of(failed)).get(0).startedAt(), "not known: absent");
    }

    @Test
    void succeededPodWithoutAScoreIsAFailureThatSaysWhatTheTrainerMustWrite() {
        MemberResult r = PodObserver.results(List.of(pod(0, 0, 0, "Succeeded", ContainerNames.TRAINER, 0, "done"))).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("not JSON"), r.message());
        MemberResult empty = PodObserver.results(List.of(pod(0, 0, 0, "Succeeded", ContainerNames.TRAINER, 0, ""))).get(0);
        assertTrue(empty.message().contains("PBTNAS_TERMINATION_LOG"), empty.message());
    }

    @Test
    void failedPodNamesTheContainerAndExitCode() {
        MemberResult r = PodObserver.results(List.of(pod(1, 2, 1, "Failed", ContainerNames.MIX, 2, "bad plan"))).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(1, r.attempt());
        assertTrue(r.message().contains("container mix exited with 2") && r.message().contains("bad plan"), r.message());
    }

    private static Pod withCondition(Pod pod, String type, String reason, String message) {
        if (pod.getStatus().getConditions() == null) {
            pod.getStatus().setConditions(new java.util.ArrayList<>());
        }
        pod.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(type)
                .withStatus("True").withReason(reason).withMessage(message).build());
        return pod;
    }

    @Test
    void anEvictedPodIsADisruptionNotAFailureEvenWhileItsContainersStillStop() {
        // The Eviction API marks the pod DisruptionTarget, then deletes it: still Running in its grace period.
        Pod evicting = withCondition(pod(2, 1, 0, "Running", ContainerNames.TRAINER, 0, null), "DisruptionTarget",
                "EvictionByEvictionAPI", "Eviction API: evicting");
        assertTrue(PodObserver.results(List.of(evicting)).isEmpty(), "not deleted yet: no result");
        evicting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        MemberResult r = PodObserver.results(List.of(evicting)).get(0);
        assertEquals(Outcome.DISRUPTED, r.outcome());
        assertTrue(r.message().contains("EvictionByEvictionAPI"), r.message());
        // Then its trainer is killed by SIGTERM: Failed with 143, still a disruption.
        Pod ended = withCondition(pod(2, 1, 0, "Failed", ContainerNames.TRAINER, 143, null), "DisruptionTarget",
                "PreemptionByScheduler", "preempted by a higher-priority pod");
        assertEquals(Outcome.DISRUPTED, PodObserver.results(List.of(ended)).get(0).outcome());
    }

    @Test
    void aPodKueueEvictedIsADisruptionNamingKueue() {
        // Kueue's pod integration sets TerminationTarget (reason WorkloadEvicted) on a pod it preempts, then deletes it.
        Pod preempted = withCondition(pod(1, 0, 0, "Running", ContainerNames.TRAINER, 0, null), "TerminationTarget",
                "WorkloadEvicted", "Preempted to accommodate a workload (UID: 1) due to prioritization in the ClusterQueue");
        preempted.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        MemberResult r = PodObserver.results(List.of(preempted)).get(0);
        assertEquals(Outcome.DISRUPTED, r.outcome());
        assertTrue(r.message().contains("stopped by Kueue (WorkloadEvicted: Preempted"), r.message());
        Pod killed = withCondition(pod(1, 0, 0, "Failed", ContainerNames.TRAINER, 137, null), "TerminationTarget",
                "WorkloadEvicted", "Preempted");
        assertEquals(Outcome.DISRUPTED, PodObserver.results(List.of(killed)).get(0).outcome());
    }

    @Test
    void aPodKueueHoldsForAdmissionIsQueuedNotStuck() {
        // What the API server leaves on a pod created with a scheduling gate.
        Pod gated = new PodBuilder(pod(0, 0, 0, "Pending", ContainerNames.TRAINER, 0, null))
                .editSpec().addNewSchedulingGate().withName(io.pbtnas.operator.pods.KueueLabels.ADMISSION_GATE)
                .endSchedulingGate().endSpec()
                .editStatus().withContainerStatuses().addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("SchedulingGated").withMessage("Scheduling is blocked due to non-empty scheduling gates")
                .endCondition().endStatus().build();
        Pod admitted = new PodBuilder(gated).editMetadata().withName("s-m1-g0-a0")
                .withLabels(PodLabels.member("s", 1, 0, 0)).endMetadata().editSpec().withSchedulingGates().endSpec().build();
        Pod export = new PodBuilder(gated).editMetadata().withLabels(PodLabels.export("s", 0)).endMetadata().build();
        assertEquals(1, PodObserver.queued(List.of(gated, admitted, export)), "only the gated member pod");
        assertTrue(PodObserver.stuck(List.of(gated)).isEmpty(), "waiting for quota is not stuck");
        assertTrue(PodObserver.results(List.of(gated)).isEmpty());
    }

    @Test
    void podsTheKubeletOrNodeControllerEndedByReasonAreDisruptions() {
        for (String reason : List.of("Evicted", "Preempting", "NodeLost", "Terminated")) {
            Pod p = pod(0, 0, 0, "Failed", ContainerNames.TRAINER, 137, null);
            p.getStatus().setReason(reason);
            p.getStatus().setMessage("The node was low on resource: memory.");
            MemberResult r = PodObserver.results(List.of(p)).get(0);
            assertEquals(Outcome.DISRUPTED, r.outcome(), reason);
            assertTrue(r.message().contains(reason), r.message());
        }
    }

    @Test
    void trainerExitTwoIsBadInputWithTheTrainersMessageOtherExitsAreFailures() {
        MemberResult bad = PodObserver.results(List.of(pod(1, 0, 0, "Failed", ContainerNames.TRAINER, 2,
                "bad input: PBTNAS_GENOME: gene cell9 is not in the search space"))).get(0);
        assertEquals(Outcome.BAD_INPUT, bad.outcome());
        assertTrue(bad.message().contains("exited with 2") && bad.message().contains("gene cell9"), bad.message());
        assertEquals(Outcome.FAILED, PodObserver.results(List.of(pod(1, 0, 0, "Failed", ContainerNames.TRAINER, 1,
                "training failed: diverged"))).get(0).outcome());
        // Exit 2 of another container (the mix) is not the trainer's contract.
        assertEquals(Outcome.FAILED, PodObserver.results(List.of(pod(1, 0, 0, "Failed", ContainerNames.MIX, 2,
                "bad plan"))).get(0).outcome());
        // Past its deadline the step failed, whatever exit code the kill left: retried.
        Pod late = pod(1, 0, 0, "Failed", ContainerNames.TRAINER, 2, null);
        late.getStatus().setReason(PodObserver.DEADLINE_EXCEEDED);
        assertEquals(Outcome.FAILED, PodObserver.results(List.of(late)).get(0).outcome());
    }

    @Test
    void runningPodsGiveNoResultButDeletedOnesFail() {
        Pod running = pod(0, 0, 0, "Running", ContainerNames.TRAINER, 0, null);
        assertTrue(PodObserver.results(List.of(running)).isEmpty());
        running.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        MemberResult r = PodObserver.results(List.of(running)).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("deleted"), r.message());
    }

    @Test
    void podsWithoutMemberLabelsAreIgnored() {
        Pod other = new PodBuilder().withNewMetadata().withName("x").endMetadata()
                .withNewStatus().withPhase("Failed").endStatus().build();
        assertTrue(PodObserver.results(List.of(other)).isEmpty());
    }

    private static Pod pending(int m) {
        return new PodBuilder()
                .withNewMetadata().withName("s-m" + m + "-g0-a0").withLabels(PodLabels.member("s", m, 0, 0)).endMetadata()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    private static Pod waiting(int m, boolean init, String container, String reason, String message) {
        Pod pod = pending(m);
        var cs = new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName(container)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
        if (init) {
            pod.getStatus().setInitContainerStatuses(List.of(cs));
        } else {
            pod.getStatus().setContainerStatuses(List.of(cs));
        }
        return pod;
    }

    @Test
    void anUnschedulablePodIsStuckWithTheSchedulersMessage() {
        Pod pod = pending(2);
        pod.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.").build()));
        assertEquals(List.of(new StuckPod(2, 0, 0, "s-m2-g0-a0", "Unschedulable",
                "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.")), PodObserver.stuck(List.of(pod)));
        assertTrue(PodObserver.results(List.of(pod)).isEmpty(), "stuck is not failed: it may still move on");
    }

    @Test
    void imagePullAndContainerConfigErrorsAreStuckInAnyContainer() {
        record Case(boolean init, String container, String reason) {}
        for (Case c : List.of(new Case(true, ContainerNames.TRAINER, "ErrImagePull"),
                new Case(true, ContainerNames.TRAINER, "ImagePullBackOff"),
                new Case(true, ContainerNames.MIX, "CreateContainerConfigError"),
                new Case(true, ContainerNames.SEARCH_DIR, "ImagePullBackOff"),
                new Case(false, ContainerNames.VERIFY, "CreateContainerConfigError"))) {
            List<StuckPod> s = PodObserver.stuck(List.of(waiting(1, c.init(), c.container(), c.reason(), "why")));
            assertEquals(1, s.size(), c.toString());
            assertEquals(c.reason(), s.get(0).reason());
            assertEquals("container " + c.container() + ": why", s.get(0).message());
            assertEquals("member 1 (pod s-m1-g0-a0): " + c.reason() + ": container " + c.container() + ": why",
                    s.get(0).describe());
        }
    }

    @Test
    void podsThatAreMerelyStartingRunningOrFinishedAreNotStuck() {
        Pod creating = waiting(0, true, ContainerNames.TRAINER, "PodInitializing", null);
        Pod scheduling = pending(1); // no conditions yet
        Pod done = pod(2, 0, 0, "Succeeded", ContainerNames.TRAINER, 0, "{\"score\": 1}");
        Pod deleting = waiting(3, true, ContainerNames.TRAINER, "ErrImagePull", "x");
        deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        assertEquals(List.of(), PodObserver.stuck(List.of(creating, scheduling, done, deleting)));
    }

    @Test
    void aStepPastItsDeadlineIsAFailedAttemptNamingDeadlineExceeded() {
        // What the kubelet writes when activeDeadlineSeconds runs out: the containers were killed (137).
        Pod pod = pod(4, 1, 0, "Failed", ContainerNames.TRAINER, 137, null);
        pod.getStatus().setReason("DeadlineExceeded");
        pod.getStatus().setMessage("Pod was active on the node longer than the specified deadline");
        MemberResult r = PodObserver.results(List.of(pod)).get(0);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.message().contains("DeadlineExceeded (spec.trainer.stepTimeout)")
                && r.message().contains("longer than the specified deadline"), r.message());
    }
}
