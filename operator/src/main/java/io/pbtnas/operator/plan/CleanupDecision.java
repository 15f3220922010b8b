package io.pbtnas.operator.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.pbtnas.operator.observe.PodObserver;
import io.pbtnas.operator.observe.PodTimes;
import io.pbtnas.operator.pods.PodLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the finalizer of a deleted search does next, decided from its pods and the clock. Pure.
 * Bounded: past {@code timeout} after the deletion started it gives up and lets the search go, so a
 * cleanup that cannot run (a cleaner pod that never schedules, pods stuck terminating on a lost node)
 * never holds a namespace deletion.
 */
public sealed interface CleanupDecision {
    /** Delete these pods (trainers and an export are stopped before their files go), then look again. */
    record StopPods(List<Pod> undeleted) implements CleanupDecision {}

    /** Start the pod that deletes the search's checkpoint directory. */
    record StartCleaner() implements CleanupDecision {}

    /** Wait: pods are terminating or the cleaner runs; {@code message} says which. */
    record Wait(String message) implements CleanupDecision {}

    /** Done: remove the finalizer. {@code cleaner} is the finished cleaner pod to delete, if any. */
    record Release(Pod cleaner, boolean checkpointsDeleted, String message) implements CleanupDecision {}

    static CleanupDecision decide(List<Pod> searchPods, Pod cleaner, boolean deleteCheckpoints, String subPath,
            Instant deletionStarted, Instant now, Duration timeout) {
        List<Pod> running = searchPods.stream()
                .filter(p -> !PodLabels.ROLE_CLEANUP.equals(p.getMetadata().getLabels().get(PodLabels.ROLE))).toList();
        boolean expired = deletionStarted != null && Duration.between(deletionStarted, now).compareTo(timeout) > 0;
        if (!running.isEmpty()) {
            List<Pod> undeleted = running.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            if (!undeleted.isEmpty()) {
                return new StopPods(undeleted);
            }
            if (expired) {
                return new Release(cleaner, false, gaveUp(timeout, subPath, deleteCheckpoints, running.size()
                        + " pod(s) still terminating, e.g. " + running.get(0).getMetadata().getName()));
            }
            return new Wait("waiting for " + running.size() + " pod(s) to terminate");
        }
        if (!deleteCheckpoints) {
            return new Release(null, false, null);
        }
        if (cleaner == null) {
            return expired ? new Release(null, false, gaveUp(timeout, subPath, true, "the cleaner pod never started"))
                    : new StartCleaner();
        }
        String phase = cleaner.getStatus() == null ? null : cleaner.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            return new Release(cleaner, true, "deleted " + subPath);
        }
        if ("Failed".equals(phase)) {
            return new Release(cleaner, false, "could not delete " + subPath + " (pod "
                    + cleaner.getMetadata().getName() + ": " + PodObserver.failure(cleaner)
                    + "); the files are left on the volume, remove them by hand");
        }
        String why = PodObserver.stuckReason(cleaner).map(r -> "is stuck: " + r[0] + ": " + r[1])
                .orElse("is " + (phase == null ? "not started" : phase));
        if (expired) {
            return new Release(cleaner, false, gaveUp(timeout, subPath, true, "cleaner pod "
                    + cleaner.getMetadata().getName() + " " + why));
        }
        return new Wait("cleaner pod " + cleaner.getMetadata().getName() + " " + why);
    }

    /** The finalizer cannot do its job (e.g. the namespace is terminating, so no cleaner pod can start). */
    static Release cannotRun(String subPath, String why) {
        return new Release(null, false, "cannot delete " + subPath + ": " + why
                + "; the files are left on the volume, remove them by hand");
    }

    private static String gaveUp(Duration timeout, String subPath, boolean deleteCheckpoints, String why) {
        return "cleanup did not finish within " + timeout.toSeconds() + "s (" + why + "); "
                + (deleteCheckpoints ? "the files under " + subPath + " are left on the volume, remove them by hand"
                        : "the search is released");
    }
}
